import { SvelteMap } from 'svelte/reactivity';
import { AgentError, streamChat } from '../agent/agent-client';
import { coachReply } from '../agent/fallback-coach';
import { buildAskRequest } from '../agent/prompt';
import { addReply } from '../db/captures-repo';
import { getDb, type CaptureRecord } from '../db/database';
import type { CaptureId } from '../db/ids';
import { healthManager } from './health-manager.svelte';
import { settingsManager } from './settings-manager.svelte';

/** A message about the last ask: why the coach answered, or why the call failed. */
export interface AskNotice {
  kind: 'fallback' | 'error';
  message: string;
}

/** Asks the learning partner about a capture: Claude through the worker, else the offline coach. */
class AgentManager {
  readonly #streaming = new SvelteMap<CaptureId, string>();
  readonly #notices = new SvelteMap<CaptureId, AskNotice>();
  readonly #controllers = new Map<CaptureId, AbortController>();

  /** The reply text streamed so far for a capture, or null when none is streaming. */
  streaming(id: CaptureId): string | null {
    return this.#streaming.get(id) ?? null;
  }

  /** The notice of the last ask about a capture, if any. */
  notice(id: CaptureId): AskNotice | null {
    return this.#notices.get(id) ?? null;
  }

  /** Asks about a capture's transcript; the finished reply is stored with the capture. */
  async ask(capture: CaptureRecord): Promise<void> {
    if (!capture.text.trim() || this.#controllers.has(capture.id)) return;
    this.#notices.delete(capture.id);
    if (healthManager.reachable !== true) await healthManager.refresh();
    if (!healthManager.agentAvailable) {
      await this.#answerWithCoach(
        capture,
        healthManager.reachable === false
          ? 'The server is unreachable, so the on-device coach asked instead.'
          : 'Claude is not configured on this server, so the on-device coach asked instead.'
      );
      return;
    }
    const controller = new AbortController();
    this.#controllers.set(capture.id, controller);
    this.#streaming.set(capture.id, '');
    try {
      const result = await streamChat(buildAskRequest(capture.text), {
        accessToken: settingsManager.accessToken || undefined,
        signal: controller.signal,
        onText: (delta) =>
          this.#streaming.set(capture.id, (this.#streaming.get(capture.id) ?? '') + delta)
      });
      await addReply(getDb(), {
        captureId: capture.id,
        text: result.text,
        source: 'claude',
        model: result.model
      });
    } catch (err) {
      if (controller.signal.aborted) return;
      if (err instanceof AgentError && err.useFallback) {
        await this.#answerWithCoach(capture, `${err.message} The on-device coach asked instead.`);
      } else {
        this.#notices.set(capture.id, {
          kind: 'error',
          message: err instanceof Error ? err.message : String(err)
        });
      }
    } finally {
      this.#streaming.delete(capture.id);
      this.#controllers.delete(capture.id);
    }
  }

  /** Stops a streaming reply. */
  cancel(id: CaptureId): void {
    this.#controllers.get(id)?.abort();
  }

  async #answerWithCoach(capture: CaptureRecord, message: string): Promise<void> {
    await addReply(getDb(), {
      captureId: capture.id,
      text: coachReply(capture.text),
      source: 'offline-coach',
      model: null
    });
    this.#notices.set(capture.id, { kind: 'fallback', message });
  }
}

/** The app's learning partner. */
export const agentManager = new AgentManager();
