import type { FastifyInstance } from 'fastify';
import { CAPSTAN_API_PREFIX, type ModelCard } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { AccessRule } from '../../security/index.js';
import { readInput, requestFields, SMALL_RPC_BODY_LIMIT } from '../../tracking/index.js';
import { lineageDeps, type LineageRouteDeps } from '../lineage/lineage-routes.js';
import { buildModelCard, type ModelCardDeps } from './build-card.js';
import { parseCardPatch } from './card-fields.js';
import { renderModelCardMarkdown } from './card-markdown.js';
import type { ModelCardStore } from './card-store.js';

/** What lineage and model card routes need from the registry module factory. */
export interface RegistryExtrasDeps extends LineageRouteDeps {
  cards: ModelCardStore;
}

const CARD_PATH = `${CAPSTAN_API_PREFIX}/model-versions/card`;

/**
 * `GET model-versions/card?name=&version=[&format=markdown]` and `PATCH model-versions/card` with
 * `{name, version, ...ModelCardEdits}`, under the Capstan API prefix.
 */
export function registerModelCardRoutes(app: FastifyInstance, deps: RegistryExtrasDeps, rules: { read: AccessRule; edit: AccessRule }): void {
  const cardDeps: ModelCardDeps = { ...lineageDeps(deps), cards: deps.cards };

  app.get(CARD_PATH, { config: { access: rules.read, action: 'registry.getModelCard' }, schema: { tags: ['registry'] } }, async (request, reply) => {
    const input = readInput(request);
    const format = requestFields.optionalString(input, 'format') ?? 'json';
    if (format !== 'json' && format !== 'markdown') throw invalidParameter(`Invalid format '${format}': use json or markdown.`);
    const v = await deps.versions.require(requestFields.optionalString(input, 'name'), requestFields.optionalString(input, 'version'));
    const card = await buildModelCard(cardDeps, v);
    if (format === 'json') return card;
    return reply.type('text/markdown; charset=utf-8').send(renderModelCardMarkdown(card));
  });

  app.patch(
    CARD_PATH,
    {
      config: { access: rules.edit, action: 'registry.updateModelCard' },
      schema: { tags: ['registry'] },
      bodyLimit: Math.min(SMALL_RPC_BODY_LIMIT, deps.ctx.jsonBodyLimitBytes),
    },
    async (request): Promise<ModelCard> => {
      const patch = parseCardPatch(readInput(request));
      const v = await deps.versions.require(patch.name, patch.version);
      const { before, after } = await deps.cards.save(v, patch.change, { editedBy: request.principal.username, editedAt: deps.ctx.now() });
      deps.ctx.access.noteChange(request, { target: `registered_model:${v.name}/${v.version}`, before, after });
      return buildModelCard(cardDeps, v);
    },
  );
}
