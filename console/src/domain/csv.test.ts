import { describe, expect, it } from 'vitest'
import { toCsv } from './csv'

describe('csv', () => {
  it('starts with a byte order mark so Excel reads the Chinese, and ends lines with CRLF', () => {
    const csv = toCsv({ name: 't', columns: ['月份', '件数'], rows: [['2026-11', 5]] })
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv.slice(1)).toBe('月份,件数\r\n2026-11,5\r\n')
  })

  it('quotes fields with commas, quotes, line breaks or edge spaces, and leaves empty ones empty', () => {
    const csv = toCsv({ name: 't', columns: ['a'], rows: [['海口,三亚'], ['说"明"'], ['一\n二'], [' 空格'], [null]] })
    expect(csv.slice(1).split('\r\n')).toEqual(['a', '"海口,三亚"', '"说""明"""', '"一\n二"', '" 空格"', '', ''])
  })
})
