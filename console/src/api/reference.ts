import { api } from './client'
import type { City } from './types'

let cities: Promise<City[]> | null = null

/** The province's cities and offices, loaded once: codes shown with their names. */
export function loadCities(): Promise<City[]> {
  cities ??= api<City[]>('/reference/cities').catch((error) => {
    cities = null
    throw error
  })
  return cities
}

export function placeName(all: City[], code: string | null | undefined): string {
  if (!code) return '—'
  for (const city of all) {
    if (city.code === code) return `${city.name}（${code}）`
    const office = city.offices.find((o) => o.code === code)
    if (office) return `${office.name}（${code}）`
  }
  return code
}
