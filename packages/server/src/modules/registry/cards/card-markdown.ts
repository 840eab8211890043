import type { LineageGraph, ModelCard } from '@capstan/contracts';
import { markdownTable } from './markdown-table.js';

const NOT_DOCUMENTED = '_Not documented yet._';

/** A model card as Markdown, for a README, a review or a compliance file. */
export function renderModelCardMarkdown(card: ModelCard): string {
  const sections = [
    `# Model card: ${card.name} version ${card.version}`,
    overview(card),
    // The summary defaults to the description; saying it twice helps nobody.
    ...(card.description && card.description !== card.summary ? [card.description] : []),
    prose('Summary', card.summary),
    prose('Intended use', card.intended_use),
    prose('Out-of-scope use', card.out_of_scope_use),
    prose('Limitations', card.limitations),
    prose('Ethical considerations', card.ethical_considerations),
    prose('Owner', card.owner),
    trainingSection(card),
    metricsSection(card),
    signatureSection(card),
    lineageSection(card.lineage),
    ...(card.edited_by !== undefined && card.edited_at !== undefined ? [`_Card text last edited by ${card.edited_by} on ${iso(card.edited_at)}._`] : []),
  ];
  return `${sections.join('\n\n')}\n`;
}

function overview(card: ModelCard): string {
  return markdownTable(
    ['Stage', 'Aliases', 'Flavor', 'Registered'],
    [[card.stage, card.aliases.length ? card.aliases.join(', ') : '-', card.flavor ?? '-', iso(card.created_at)]],
  );
}

function prose(title: string, text: string | undefined): string {
  return `## ${title}\n\n${text?.trim() ? text.trim() : NOT_DOCUMENTED}`;
}

function trainingSection(card: ModelCard): string {
  const t = card.training;
  if (!t.run_id) return '## Training\n\nThis version was registered without a run, so nothing is known about its training.';
  const facts = [
    `- Run: \`${t.run_id}\`${t.experiment_id ? ` in experiment ${t.experiment_id}` : ''}`,
    ...(t.code_version ? [`- Code version: \`${t.code_version}\``] : []),
    ...(t.source ? [`- Source: ${t.source}`] : []),
  ];
  const params = Object.entries(t.params);
  const parts = [`## Training\n\n${facts.join('\n')}`];
  parts.push(
    t.datasets.length
      ? `### Training data\n\n${markdownTable(['Dataset', 'Digest', 'Context', 'Source'], t.datasets.map((d) => [d.name, d.digest, d.context ?? '-', d.source ?? '-']))}`
      : '### Training data\n\nNo datasets were logged as inputs of the run.',
  );
  if (params.length) parts.push(`### Parameters\n\n${markdownTable(['Parameter', 'Value'], params.map(([k, v]) => [k, v]))}`);
  return parts.join('\n\n');
}

function metricsSection(card: ModelCard): string {
  const metrics = Object.entries(card.evaluation.metrics);
  if (!metrics.length) return '## Evaluation metrics\n\nNo metrics were logged.';
  return `## Evaluation metrics\n\n${markdownTable(['Metric', 'Value'], metrics.map(([k, v]) => [k, String(v)]))}`;
}

function signatureSection(card: ModelCard): string {
  if (!card.signature) return '## Signature\n\nThe package declares no signature.';
  return ['## Signature', specTable('Inputs', card.signature.inputs), specTable('Outputs', card.signature.outputs)].join('\n\n');
}

interface Spec {
  name?: unknown;
  type?: unknown;
  required?: unknown;
  'tensor-spec'?: { dtype?: unknown; shape?: unknown };
}

/** MLflow's column specs (`{name, type}`) and tensor specs (`{type: "tensor", tensor-spec: {dtype, shape}}`). */
function specTable(title: string, specs: unknown): string {
  if (specs === null || specs === undefined) return `### ${title}\n\nNot declared.`;
  if (!Array.isArray(specs)) return `### ${title}\n\n\`\`\`json\n${JSON.stringify(specs, null, 2)}\n\`\`\``;
  const rows = (specs as Spec[]).map((s, i) => {
    const tensor = s['tensor-spec'];
    const type = tensor ? `tensor (${String(tensor.dtype)})` : String(s.type ?? '-');
    const shape = tensor?.shape !== undefined ? JSON.stringify(tensor.shape) : '-';
    return [typeof s.name === 'string' ? s.name : `#${i}`, type, shape, s.required === false ? 'no' : 'yes'];
  });
  return `### ${title}\n\n${markdownTable(['Name', 'Type', 'Shape', 'Required'], rows)}`;
}

function lineageSection(graph: LineageGraph): string {
  const label = new Map(graph.nodes.map((n) => [n.id, `${n.kind.replace(/_/g, ' ')} ${n.label}`]));
  const lines = graph.edges.map((e) => `- ${escapeInline(label.get(e.from) ?? e.from)} **${e.relation.replace(/_/g, ' ')}** ${escapeInline(label.get(e.to) ?? e.to)}`);
  return `## Lineage\n\n${lines.length ? lines.join('\n') : 'No lineage recorded.'}`;
}

/** Labels come from user data (run names, dataset names); keep them on one line and out of Markdown syntax. */
function escapeInline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/([\\*_`[\]<>|#])/g, '\\$1');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
