/** Today's date in China (YYYY-MM-DD), whatever the browser's time zone: the API counts days in China time. */
export function chinaDate(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
