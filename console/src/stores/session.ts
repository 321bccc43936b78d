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
    const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as StoredSession | null
    return stored && stored.expiresAt > Date.now() ? stored : null
  } catch {
    return null
  }
}

/** The signed-in staff member. The token lives in this tab's sessionStorage only, and dies with its expiry. */
export const useSession = defineStore('session', () => {
  const current = ref<StoredSession | null>(restore())
  let expiryTimer: ReturnType<typeof setTimeout> | undefined
  const expiredListeners: (() => void)[] = []

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
    const expiresAt = Date.now() + issued.expiresIn * 1000
    current.value = { token: issued.accessToken, expiresAt, staff: { username, role: 'reviewer', office: null, city: null } }
    try {
      current.value = { ...current.value, staff: await api<CurrentStaff>('/auth/me') }
    } catch (error) {
      current.value = null
      throw error
    }
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
