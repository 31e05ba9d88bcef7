/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the production build
 * served the way `npm start` serves it: `wrangler dev` with the worker and static assets.
 */
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { e2eAudio } from './audio-fixtures';

const SPEECH_DIR = resolve(
  process.env.LVA_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared'),
  'eval/speech'
);
/** The real speech clip the fake microphone plays (JFK, 11 s). */
export const SPEECH_CLIP = resolve(SPEECH_DIR, 'wav/jfk-inaugural-1961.wav');
if (!existsSync(SPEECH_CLIP))
  throw new Error(`The speech clip for the fake microphone is missing: ${SPEECH_CLIP}`);

/** Generated from the real clips: three utterances with pauses, and near-silence. */
const AUDIO = e2eAudio(SPEECH_DIR);
const fakeMic = (file: string) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${file}%noloop`
];

const baseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu'
];
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  globalSetup: './global-setup.ts',
  // One worker: Whisper inference needs both cores, and tests share the servers.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  outputDir: '../../test-results',
  projects: [
    {
      name: 'fake-microphone',
      testIgnore: /mic-denied|asr-hands-free|asr-silence|conversation-voice/,
      use: {
        launchOptions: {
          executablePath,
          args: [
            ...baseArgs,
            '--use-fake-ui-for-media-stream',
            '--use-fake-device-for-media-stream',
            `--use-file-for-fake-audio-capture=${SPEECH_CLIP}%noloop`
          ]
        }
      }
    },
    {
      name: 'microphone-with-pauses',
      testMatch: /asr-hands-free/,
      use: { launchOptions: { executablePath, args: [...baseArgs, ...fakeMic(AUDIO.paused)] } }
    },
    {
      name: 'microphone-barge-in',
      testMatch: /conversation-voice/,
      use: { launchOptions: { executablePath, args: [...baseArgs, ...fakeMic(AUDIO.bargeIn)] } }
    },
    {
      name: 'microphone-silence',
      testMatch: /asr-silence/,
      use: { launchOptions: { executablePath, args: [...baseArgs, ...fakeMic(AUDIO.silence)] } }
    },
    {
      name: 'microphone-denied',
      testMatch: /mic-denied/,
      use: {
        launchOptions: {
          executablePath,
          args: [...baseArgs, '--use-fake-device-for-media-stream', '--deny-permission-prompts']
        }
      }
    }
  ]
});
