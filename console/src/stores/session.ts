import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api/client'
import type { CurrentStaff, TokenResponse } from '../api/types'

const storageKey = 'tongban.session'

interface StoredSession {
  token: string
  expiresAt: number
  staff: CurrentStaff
}

function restore(): StoredSession | null {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as StoredSession | null
  } catch {
    return null
  }
}

/** The signed-in staff member. The token lives in this tab's sessionStorage only, and dies with its expiry. */
export const useSession = defineStore('session', () => {
  const current = ref<StoredSession | null>(restore())
  let expiryTimer: ReturnType<typeof setTimeout> | undefined
  const expiredListeners: (() => void)[] = []

  /** Kept after the token expired, until signed out, so the console can say the session ran out. */
  const staff = computed(() => current.value?.staff ?? null)
  const token = computed(() => current.value?.token ?? null)

  function isActive(): boolean {
    return current.value !== null && current.value.expiresAt > Date.now()
  }

  function watchExpiry() {
    clearTimeout(expiryTimer)
    if (current.value) expiryTimer = setTimeout(expire, Math.max(0, current.value.expiresAt - Date.now()))
  }

  async function signIn(username: string, password: string) {
    const issued = await api<TokenResponse>('/auth/token', { method: 'POST', body: { username, password } })
    const staff = await api<CurrentStaff>('/auth/me', { token: issued.accessToken })
    current.value = { token: issued.accessToken, expiresAt: Date.now() + issued.expiresIn * 1000, staff }
    sessionStorage.setItem(storageKey, JSON.stringify(current.value))
    watchExpiry()
  }

  function signOut() {
    clearTimeout(expiryTimer)
    current.value = null
    sessionStorage.removeItem(storageKey)
  }

  /** The token ran out (or the API refused it): sign out and tell whoever shows the sign-in page why. */
  function expire() {
    if (!current.value) return
    signOut()
    expiredListeners.forEach((listener) => listener())
  }

  function onExpired(listener: () => void) {
    expiredListeners.push(listener)
  }

  watchExpiry()
  return { staff, token, isActive, signIn, signOut, expire, onExpired }
})
