import { randomInt } from 'node:crypto';

// Memorable names in MLflow's `<adjective>-<noun>-<number>` style for runs created without one.
const ADJECTIVES = [
  'able', 'agile', 'amazing', 'bold', 'brave', 'bright', 'calm', 'capable', 'clever', 'crisp', 'daring', 'eager',
  'fast', 'fearless', 'gentle', 'glamorous', 'gregarious', 'honest', 'keen', 'lively', 'lucky', 'merciful',
  'nimble', 'patient', 'polite', 'quick', 'quiet', 'resilient', 'rumbling', 'shy', 'sincere', 'steady',
  'sturdy', 'thoughtful', 'vaunted', 'wise',
];
const NOUNS = [
  'ant', 'bass', 'bat', 'bear', 'bird', 'carp', 'cat', 'colt', 'crab', 'crane', 'deer', 'doe', 'dove', 'eel',
  'finch', 'fox', 'goat', 'hawk', 'hen', 'hog', 'jay', 'koi', 'lark', 'lynx', 'mole', 'moth', 'newt', 'owl',
  'panda', 'ray', 'seal', 'shark', 'shrew', 'sloth', 'snail', 'stag', 'swan', 'toad', 'trout', 'wasp', 'whale', 'wren',
];

export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
