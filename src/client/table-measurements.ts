/**
 * Fills the "Your number" cells of the comparison table from the learner's recorded measurements.
 * A lesson with nothing recorded, or with unreadable data, keeps "not measured yet".
 */
import { browserStorage } from './storage.ts';
import { describeMeasurement, readLearnerMeasurements } from '../utils/measurement-list.ts';

export function fillLearnerNumbers(root: ParentNode = document): void {
  for (const cell of root.querySelectorAll<HTMLElement>('[data-measure-slug]')) {
    const slug = cell.dataset['measureSlug'] ?? '';
    const numbers = slug ? readLearnerMeasurements(browserStorage(), slug) : [];
    cell.textContent =
      numbers.length > 0 ? numbers.map(describeMeasurement).join('; ') : 'not measured yet';
  }
}
