import { useSession } from '../stores/session'
import { ApiError } from './client'
import type { Problem } from './types'

/**
 * Posts a file as text/csv with the session's token, reporting how much of it has gone up (0–1) — fetch cannot, so
 * this uses XMLHttpRequest. Resolves with the JSON answer; a refusal rejects with the same ApiError the other calls
 * throw, and a 401 ends the session as they do.
 */
export function uploadCsv<T>(path: string, file: Blob, onProgress: (sent: number) => void): Promise<T> {
  const session = useSession()
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', `/api/v1${path}`)
    request.setRequestHeader('Content-Type', 'text/csv')
    request.setRequestHeader('Accept', 'application/json')
    if (session.token) request.setRequestHeader('Authorization', `Bearer ${session.token}`)
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    }
    request.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(request.responseText)
      } catch {
        body = null
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1)
        resolve(body as T)
        return
      }
      if (request.status === 401) session.expire()
      reject(new ApiError(request.status, body as Problem | null))
    }
    request.onerror = () => reject(new ApiError(0, { detail: '网络连接中断，文件未能上传' }))
    request.send(file)
  })
}

/**
 * Downloads a file the API serves (a bank file: GET with the session's token, which a plain link cannot send) and
 * hands it to the browser under the name the API gives it, or `fallbackName`.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const session = useSession()
  const response = await fetch(`/api/v1${path}`, {
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
  })
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null
    if (response.status === 401) session.expire()
    throw new ApiError(response.status, problem)
  }
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = decodeURIComponent(name)
  document.body.appendChild(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}
