/**
 * Row blindings for max and argmax in step 6 of the conformance harness: both check `[D_r]₁ = [Y_{r mod m}]₁ − [X_r]₁`
 * on commitments, which blinded rows keep only if `b_d = b_y − b_x`. Every other row draws its own 2 coefficients.
 */
import { blindingSource } from '../../src/blinding';
import { Fr } from '../../src/field';

/** The blinding of row `row` of tensor `tensor` for a max or argmax block with `outputRows` output rows (m). */
export function differenceBlinding(outputRows: number): (tensor: string, row: number) => bigint[] {
  const source = blindingSource('test/difference-blinding');
  const draw = (tensor: string, row: number) => source.draw(`${tensor}/${row}`, 2);
  return (tensor, row) => {
    if (tensor !== 'd') return draw(tensor, row);
    const x = draw('x', row);
    return draw('y', row % outputRows).map((y, j) => Fr.sub(y, x[j]));
  };
}
