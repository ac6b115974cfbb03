/**
 * Exchanges' decimal strings (Binance `"0.00012300"`, `"43210.12000000"`,
 * OKX, Kraken REST) → numbers, about twice as fast as `Number()` and
 * bit-identical to it.
 *
 * Why it is exact: the digits without the dot form an integer `m`, and the
 * value is `m / 10^k` (`k` = digits after the dot). While `m < 2^53` and
 * `k <= 22`, both `m` and `10^k` are doubles exactly, and IEEE division rounds
 * the true quotient correctly, so the result is the double nearest to the
 * decimal, which is what `Number()` returns. Longer decimals go to `Number()`;
 * anything that is not an unsigned decimal (a sign, an exponent, spaces, `0x10`,
 * no digit at all) is NaN, which the parser rejects.
 */

/** Exact powers of ten: every 10^k with k <= 22 is a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * `Number(text)` for an unsigned decimal string (digits with at most one dot),
 * faster on the common case; NaN for any other string.
 *
 * @example decimalToNumber('0.00012300') // 0.000123
 */
export function decimalToNumber(text: string): number {
  const n = text.length
  let mantissa = 0
  let dot = -1
  for (let i = 0; i < n; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit
    } else if (digit === -2 /* . */ && dot === -1) {
      dot = i
    } else {
      // A sign, an exponent, spaces, `0x`: not how an exchange writes a price (Number() would read them).
      return Number.NaN
    }
  }
  if (n === 0 || (dot !== -1 && n === 1)) return Number.NaN
  // Past 2^53 the running mantissa may have rounded (it never comes back below).
  if (mantissa > Number.MAX_SAFE_INTEGER) return Number(text)
  if (dot === -1) return mantissa
  const decimals = n - dot - 1
  return decimals < POW10.length ? mantissa / POW10[decimals]! : Number(text)
}
