/**
 * /sandboxes/<id>.json: everything the workspace needs to run and grade a lab, fetched only when
 * the learner first interacts, so a lesson page stays light until then.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { bundleOf } from '../../sandbox/assemble.ts';
import { listLabIds, readLab } from '../../sandbox/load.ts';

export const getStaticPaths = (() =>
  listLabIds().map((id) => ({ params: { id } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => {
  const bundle = bundleOf(readLab(String(params['id'])));
  return new Response(JSON.stringify(bundle), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
