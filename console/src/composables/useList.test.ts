import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, ref } from 'vue'
import { api, ApiError } from '../api/client'
import { useList } from './useList'

// Only the API client is replaced: api() answers what each test says; ApiError stays the real one.
vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: vi.fn(),
}))
const mockedApi = vi.mocked(api)

/** An answer the test settles when it chooses, to see the state while a load is under way. */
function pending<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets the awaited answer and the finally block run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(() => {
  mockedApi.mockReset()
})

describe('useList', () => {
  it('loads at once: loading while the request is out, then the rows', async () => {
    const answer = pending<string[]>()
    mockedApi.mockReturnValueOnce(answer.promise)

    const { rows, loading, error } = useList<string>(() => '/things')

    expect(mockedApi).toHaveBeenCalledWith('/things')
    expect(loading.value).toBe(true)
    expect(rows.value).toEqual([])
    answer.resolve(['a', 'b'])
    await settled()
    expect(loading.value).toBe(false)
    expect(rows.value).toEqual(['a', 'b'])
    expect(error.value).toBe('')
  })

  it('shows a failed load in error, keeps the last rows, and clears the error when a load succeeds', async () => {
    mockedApi.mockResolvedValueOnce(['old'])
    const { rows, loading, error, load } = useList<string>(() => '/things')
    await settled()

    mockedApi.mockRejectedValueOnce(new ApiError(503, null))
    await load()
    expect(error.value).toBe('服务暂时不可用（503），请稍后再试')
    expect(rows.value).toEqual(['old'])
    expect(loading.value).toBe(false)

    const answer = pending<string[]>()
    mockedApi.mockReturnValueOnce(answer.promise)
    const again = load()
    expect(error.value).toBe('')
    expect(loading.value).toBe(true)
    answer.resolve(['new'])
    await again
    expect(rows.value).toEqual(['new'])
    expect(error.value).toBe('')
    expect(loading.value).toBe(false)
  })

  it('empties the rows on a failed load with clearOnError', async () => {
    mockedApi.mockResolvedValueOnce(['old'])
    const { rows, error, load } = useList<string>(() => '/things', { clearOnError: true })
    await settled()
    expect(rows.value).toEqual(['old'])

    mockedApi.mockRejectedValueOnce(new Error('network down'))
    await load()
    expect(rows.value).toEqual([])
    expect(error.value).toBe('network down')
  })

  it('loads again when the path changes, from the path as it is then', async () => {
    mockedApi.mockResolvedValue([])
    const status = ref('open')
    useList<string>(() => `/things?status=${status.value}`)
    await settled()
    expect(mockedApi).toHaveBeenCalledTimes(1)

    mockedApi.mockResolvedValueOnce(['closed one'])
    status.value = 'closed'
    await nextTick()
    expect(mockedApi).toHaveBeenCalledTimes(2)
    expect(mockedApi).toHaveBeenLastCalledWith('/things?status=closed')
  })

  it('waits for load() with immediate: false, and ignores path changes with reloadOnChange: false', async () => {
    mockedApi.mockResolvedValue(['x'])
    const filter = ref('')
    const { rows, load } = useList<string>(() => `/things?q=${filter.value}`, { immediate: false, reloadOnChange: false })
    filter.value = 'typed'
    await nextTick()
    await settled()
    expect(mockedApi).not.toHaveBeenCalled()
    expect(rows.value).toEqual([])

    await load()
    expect(mockedApi).toHaveBeenCalledExactlyOnceWith('/things?q=typed')
    expect(rows.value).toEqual(['x'])
  })

  it('with quiet, spins only while there are no rows, and keeps the error up until a load succeeds', async () => {
    const first = pending<string[]>()
    mockedApi.mockReturnValueOnce(first.promise)
    const { rows, loading, error, load } = useList<string>(() => '/things', { quiet: true })
    expect(loading.value).toBe(true)
    first.resolve(['a'])
    await settled()
    expect(loading.value).toBe(false)

    mockedApi.mockRejectedValueOnce(new Error('timeout'))
    await load()
    expect(error.value).toBe('timeout')
    expect(rows.value).toEqual(['a'])

    const refresh = pending<string[]>()
    mockedApi.mockReturnValueOnce(refresh.promise)
    const again = load()
    expect(loading.value).toBe(false)
    expect(error.value).toBe('timeout')
    refresh.resolve(['a', 'b'])
    await again
    expect(error.value).toBe('')
    expect(rows.value).toEqual(['a', 'b'])
  })
})
