/**
 * Stores a number a lab recorded (`@@svs-measure` from the Run process or a Check run) as the
 * learner's own measurement for this lesson, and tells <Measurement> boxes on the page to refresh.
 */
import type { Measurement } from '../../sandbox/check-results.ts';
import { MEASURE_EVENT, recordMeasurement } from '../../utils/measurements.ts';
import type { KeyValueStorage } from '../../utils/progress.ts';

export function createMeasureRecorder(
  storage: KeyValueStorage,
  lessonSlug: string,
): (measurement: Measurement) => void {
  return (measurement) => {
    recordMeasurement(storage, lessonSlug, measurement);
    window.dispatchEvent(
      new CustomEvent(MEASURE_EVENT, { detail: { lesson: lessonSlug, id: measurement.id } }),
    );
  };
}
