import { ref, watch, type Ref } from 'vue'
import { api } from '../api/client'
import { errorMessage } from '../domain/problems'

export interface ListOptions {
  /** Load at once, when the page is set up (default). False: the page calls `load()` itself, e.g. after the cities. */
  immediate?: boolean
  /** Load again whenever the path changes (default). False: only when the page calls `load()`, e.g. on 查询. */
  reloadOnChange?: boolean
  /**
   * For a page that refreshes itself: the spinner shows only while there are no rows yet, and an error stays until a
   * load succeeds (it is not cleared when a load starts). Rows are kept when a load fails.
   */
  quiet?: boolean
  /** Empty the rows when a load fails, so the table shows no stale rows for another filter. */
  clearOnError?: boolean
}

export interface List<T> {
  /** What the API answered last: empty until the first load succeeds. */
  rows: Ref<T[]>
  /** True while a load is under way (with `quiet`, only while there are no rows yet): for the table's spinner. */
  loading: Ref<boolean>
  /** The failed load's message in the reviewer's words (errorMessage), or ''; the page may set its own, too. */
  error: Ref<string>
  /** Loads the rows from the path as it is now: for 刷新, and after the page has changed something. Never throws. */
  load: () => Promise<void>
}

/**
 * The rows of a list page, read with `api<T[]>(path())`, and the loading and error state around them.
 *
 * Returns `{ rows, loading, error, load }`. It loads when set up and again whenever `path()` changes (a filter ref the
 * getter reads), unless `immediate` or `reloadOnChange` say otherwise; `load()` loads on demand. A load sets `loading`
 * and clears `error`; a failed one shows its message in `error` (errorMessage) and keeps the last rows, or empties them
 * with `clearOnError`. `quiet` is for pages that refresh on a timer (see ListOptions).
 */
export function useList<T>(path: () => string, options: ListOptions = {}): List<T> {
  const { immediate = true, reloadOnChange = true, quiet = false, clearOnError = false } = options
  const rows = ref<T[]>([]) as Ref<T[]>
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = quiet ? rows.value.length === 0 : true
    if (!quiet) error.value = ''
    try {
      rows.value = await api<T[]>(path())
      if (quiet) error.value = ''
    } catch (e) {
      if (clearOnError) rows.value = []
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  if (reloadOnChange) watch(path, () => load(), { immediate })
  else if (immediate) void load()
  return { rows, loading, error, load }
}
