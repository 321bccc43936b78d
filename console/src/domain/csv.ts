/** A table of figures: what a chart shows, and what its CSV download holds. */
export interface FigureTable {
  /** The file name without extension, e.g. 月度申请量_2026-01_2026-11. */
  name: string
  columns: string[]
  rows: (string | number | null)[][]
}

const bom = '\uFEFF'

function cell(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * RFC 4180 CSV with a UTF-8 byte order mark, so Excel opens the Chinese headers as Chinese, and CRLF line ends; fields
 * with a comma, quote, line break or edge space are quoted, quotes doubled. Numbers are written as they are (no
 * thousands separators), so a spreadsheet reads them as numbers.
 */
export function toCsv(table: FigureTable): string {
  return bom + [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}

/** Hands the table to the browser as a download named after it. */
export function downloadCsv(table: FigureTable) {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = `${table.name}.csv`
  document.body.appendChild(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}
