import { dbHealth, explainDbError, onDbHealth, type DbHealth } from '../db/db-lifecycle';

/** The database's health as reactive state, for the banner that asks to reload or free space. */
class DbStatusManager {
  #health = $state.raw<DbHealth>(dbHealth());

  constructor() {
    onDbHealth((health) => (this.#health = health));
    // Writes anywhere in the app (not only guarded ones) that die of a full disk or an outdated
    // schema still reach the banner.
    if (typeof window !== 'undefined')
      window.addEventListener('unhandledrejection', (event) => {
        explainDbError(event.reason);
      });
  }

  /** Current health. */
  get current(): DbHealth {
    return this.#health;
  }
}

/** The app's database health. */
export const dbStatusManager = new DbStatusManager();
