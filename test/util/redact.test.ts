import { describe, expect, it } from 'vitest'
import { REDACTED, redactValue } from '../../src/util/redact.js'

describe('redactValue', () => {
  it.each([
    ['API_TOKEN', 'abc', REDACTED],
    ['GITHUB_TOKEN', 'ghp_x', REDACTED],
    ['DB_PASSWORD', 'p', REDACTED],
    ['db_passwd', 'p', REDACTED],
    ['GPG_PASSPHRASE', 'p', REDACTED],
    ['STRIPE_API_KEY', 'sk', REDACTED],
    ['AWS_SECRET_ACCESS_KEY', 'k', REDACTED],
    ['SENTRY_DSN', 'https://k@sentry.io/1', REDACTED],
    ['LICENSE_KEY', 'k', REDACTED],
    ['GITLAB_PAT', 'glpat', REDACTED],
    ['JWT_SIGNING', 's', REDACTED],
    ['SESSION_KEY', 's', REDACTED],
    ['BASIC_AUTH', 'u:p', REDACTED],
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app', `postgres://app:${REDACTED}@db:5432/app`],
    ['REDIS_URL', 'redis://:hunter2@cache:6379', `redis://:${REDACTED}@cache:6379`],
    ['UPSTREAM', 'https://example.com/path?a=1', 'https://example.com/path?a=1'],
    ['MONKEY', 'banana', 'banana'],
    ['KEYBOARD', 'qwerty', 'qwerty'],
    ['PORT', '3000', '3000'],
    ['NODE_ENV', 'production', 'production'],
    // the shell's working directories are no secret, though "pwd" looks like one
    ['PWD', '/srv/app', '/srv/app'],
    ['OLDPWD', '/home/me', '/home/me'],
    ['DB_PWD', 'p', REDACTED],
  ])('%s=%s is shown as %s', (key, value, shown) => {
    expect(redactValue(key, value)).toBe(shown)
  })
})
