/** Languages offered for transcription: Whisper's language names with their ISO codes. */
export const LANGUAGES: readonly { name: string; code: string; label: string }[] = [
  { name: 'english', code: 'en', label: 'English' },
  { name: 'german', code: 'de', label: 'German' },
  { name: 'french', code: 'fr', label: 'French' },
  { name: 'spanish', code: 'es', label: 'Spanish' },
  { name: 'italian', code: 'it', label: 'Italian' },
  { name: 'portuguese', code: 'pt', label: 'Portuguese' },
  { name: 'dutch', code: 'nl', label: 'Dutch' },
  { name: 'polish', code: 'pl', label: 'Polish' },
  { name: 'swedish', code: 'sv', label: 'Swedish' },
  { name: 'turkish', code: 'tr', label: 'Turkish' },
  { name: 'russian', code: 'ru', label: 'Russian' },
  { name: 'ukrainian', code: 'uk', label: 'Ukrainian' },
  { name: 'japanese', code: 'ja', label: 'Japanese' },
  { name: 'korean', code: 'ko', label: 'Korean' },
  { name: 'chinese', code: 'zh', label: 'Chinese' },
  { name: 'hindi', code: 'hi', label: 'Hindi' },
  { name: 'arabic', code: 'ar', label: 'Arabic' }
];

/** The ISO code of a Whisper language name or code ('english' → 'en'); 'en' when unknown. */
export function languageCode(language: string): string {
  const lower = language.toLowerCase();
  return LANGUAGES.find((l) => l.name === lower || l.code === lower)?.code ?? 'en';
}
