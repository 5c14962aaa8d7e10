/**
 * Line timestamps: ISO 8601 UTC with milliseconds (`time: true`), or the
 * local time in a dayjs/PM2-style format (`logDateFormat`). Lines that
 * arrive in one read share one timestamp, and the last one is cached, so the
 * cost is per read, not per line.
 */

const TOKENS = /\[([^\]]*)]|YYYY|YY|SSS|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|A|a|ZZ|Z/g

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

function offset(date: Date, separator: string): string {
  const minutes = -date.getTimezoneOffset()
  const sign = minutes >= 0 ? '+' : '-'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`
}

/** Formats a date with the tokens YYYY YY MM M DD D HH H hh h mm m ss s SSS A a Z ZZ; `[text]` is literal. */
export function formatDate(date: Date, format: string): string {
  return format.replace(TOKENS, (token: string, literal: string | undefined) => {
    if (literal !== undefined) return literal
    const hours = date.getHours()
    switch (token) {
      case 'YYYY':
        return String(date.getFullYear())
      case 'YY':
        return pad(date.getFullYear() % 100)
      case 'MM':
        return pad(date.getMonth() + 1)
      case 'M':
        return String(date.getMonth() + 1)
      case 'DD':
        return pad(date.getDate())
      case 'D':
        return String(date.getDate())
      case 'HH':
        return pad(hours)
      case 'H':
        return String(hours)
      case 'hh':
        return pad(hours % 12 || 12)
      case 'h':
        return String(hours % 12 || 12)
      case 'mm':
        return pad(date.getMinutes())
      case 'm':
        return String(date.getMinutes())
      case 'ss':
        return pad(date.getSeconds())
      case 's':
        return String(date.getSeconds())
      case 'SSS':
        return pad(date.getMilliseconds(), 3)
      case 'A':
        return hours < 12 ? 'AM' : 'PM'
      case 'a':
        return hours < 12 ? 'am' : 'pm'
      case 'ZZ':
        return offset(date, '')
      default:
        return offset(date, ':') // Z
    }
  })
}

/** A timestamp function (ms since the epoch → text) that caches the last value. `format` null means ISO 8601 UTC. */
export function timestamper(format: string | null): (at: number) => string {
  let lastAt = NaN
  let last = ''
  return (at) => {
    if (at !== lastAt) {
      lastAt = at
      last = format === null ? new Date(at).toISOString() : formatDate(new Date(at), format)
    }
    return last
  }
}
