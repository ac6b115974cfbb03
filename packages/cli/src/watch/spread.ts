/**
 * The spread between two prices as people read it. Subtracting binary
 * floating-point prices shows their representation error
 * (64012.5 − 64012.4 = 0.0999999999985), so the difference is rounded to
 * the decimals the prices themselves have.
 */

/** Decimal places in the shortest text of `value` (`1e-7` has 7, `64012.25` has 2). */
function decimalsOf(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e')
  const dot = mantissa.indexOf('.')
  return Math.max(0, (dot === -1 ? 0 : mantissa.length - dot - 1) - Number(exponent))
}

/**
 * `ask − bid`, rounded to the larger number of decimals of the two.
 *
 * @example spreadOf(64012.4, 64012.5) // 0.1
 */
export function spreadOf(bid: number, ask: number): number {
  return Number((ask - bid).toFixed(Math.min(100, Math.max(decimalsOf(bid), decimalsOf(ask)))))
}
