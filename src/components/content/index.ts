/**
 * Components every lesson can use without importing them (passed to MDX as globals), so a lesson
 * author writes `<Callout>` or `<Sandbox id="…" />` and nothing else.
 */
import Callout from './Callout.astro';
import Figure from './Figure.astro';
import Measurement from './Measurement.astro';
import SequenceDiagram from './SequenceDiagram.astro';
import Question from '../Question.astro';
import Sandbox from '../sandbox/Sandbox.astro';

export const lessonComponents = {
  Callout,
  Figure,
  Measurement,
  SequenceDiagram,
  Question,
  Sandbox,
};
