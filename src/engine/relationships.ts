import { coerceInput } from './coerce';
import { message, type Message } from './i18n/messages';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { badArgument, badRules, listOf, textOf, usableRules } from './guard';
import { INFLUENCE_WORDS, readWord, readYesNo, ROLE_WORDS, STANCE_WORDS, type Influence, type Role } from './words';

/** One contact inside an account, as cells (a row of a contacts table). */
export interface ContactInput {
  name?: CellValue;
  role?: CellValue;
  /** supporter / neutral / opponent, or a Blue-Sheet rating from −5 to +5. */
  stance?: CellValue;
  influence?: CellValue;
  /** Text describing a vested interest that could block the sale; blank when none. */
  vestedInterest?: CellValue;
  /** Yes when the vested interest has been dealt with. */
  resolved?: CellValue;
  /** No when the contact is known but not engaged in the sale. */
  engaged?: CellValue;
}

export interface Contact {
  name: string;
  role: Role;
  /** −5..+5; null when unknown. */
  rating: number | null;
  influence: Influence | null;
  vestedInterest: string | null;
  resolved: boolean;
  engaged: boolean | null;
}

export type DecisionMakerStatus = 'engaged' | 'notEngaged' | 'opposed' | 'unknown';

export interface Coverage {
  /** 0–100. */
  coverage: number;
  contacts: number;
  solid: number;
  supporters: number;
  opponents: number;
  decisionMaker: DecisionMakerStatus;
  hasCoach: boolean;
  redFlags: Message[];
  /** Contacts that could not be read, with what was wrong; they are left out of the figures. */
  problems: Message[];
}

const RATING = { id: 'stance', unit: 'number', validMin: -5, validMax: 5 } as const;

/** Reads one contact row; problems name the field. */
export function readContact(input: ContactInput, rules: RuleSet): { contact: Contact | null; problems: Message[] } {
  const usable = usableRules(rules);
  if (!usable) return { contact: null, problems: [badRules] };
  if (typeof input !== 'object' || input === null) return { contact: null, problems: [badArgument('contact', 'an object of contact fields')] };
  rules = usable;
  const problems: Message[] = [];
  const role = readWord(input.role ?? null, ROLE_WORDS, 'role');
  if (role.kind === 'problem') problems.push(role.problem);

  let rating: number | null = null;
  const stance = input.stance ?? null;
  const numeric = coerceInput(stance, RATING);
  if (numeric.kind === 'value') rating = numeric.value;
  else if (numeric.kind === 'problem') {
    const word = readWord(stance, STANCE_WORDS, 'stance');
    if (word.kind === 'value') {
      const r = rules.relationships;
      rating = word.value === 'supporter' ? r.supporterRating : word.value === 'opponent' ? r.opponentRating : 0;
    } else if (word.kind === 'problem') {
      // A number out of range gets the range message; a word nobody knows gets the word list.
      problems.push(/\d/.test(textOf(stance)) ? numeric.problem : word.problem);
    }
  }
  const influence = readWord(input.influence ?? null, INFLUENCE_WORDS, 'influence');
  if (influence.kind === 'problem') problems.push(influence.problem);
  const resolved = readYesNo(input.resolved ?? null, 'resolved');
  if (resolved.kind === 'problem') problems.push(resolved.problem);
  const engaged = readYesNo(input.engaged ?? null, 'engaged');
  if (engaged.kind === 'problem') problems.push(engaged.problem);
  if (problems.length > 0) return { contact: null, problems };

  const vested = textOf(input.vestedInterest).trim();
  return {
    contact: {
      name: textOf(input.name).trim(),
      role: role.kind === 'value' ? role.value : 'other',
      rating,
      influence: influence.kind === 'value' ? influence.value : null,
      vestedInterest: vested === '' ? null : vested,
      resolved: resolved.kind === 'value' && resolved.value === 'yes',
      engaged: engaged.kind === 'value' ? engaged.value === 'yes' : null,
    },
    problems,
  };
}

/**
 * Relationship coverage of one account (docs/rules.md §2): contact depth, the decision maker, a coach
 * and the balance of supporters over opponents, with the red flags.
 */
export function relationshipCoverage(inputs: readonly ContactInput[], rules: RuleSet): Coverage {
  const usable = usableRules(rules);
  if (!usable) {
    return { coverage: NaN, contacts: 0, solid: 0, supporters: 0, opponents: 0, decisionMaker: 'unknown', hasCoach: false, redFlags: [], problems: [badRules] };
  }
  rules = usable;
  const r = rules.relationships;
  const contacts: Contact[] = [];
  const problems: Message[] = [];
  for (const input of listOf<ContactInput>(inputs)) {
    const read = readContact(input, rules);
    if (read.contact) contacts.push(read.contact);
    problems.push(...read.problems);
  }
  const solid = contacts.filter((c) => c.rating !== null && c.rating >= r.solidMinRating).length;
  const supporters = contacts.filter((c) => c.rating !== null && c.rating > 0).length;
  const opponents = contacts.filter((c) => c.rating !== null && c.rating < 0).length;
  const deciders = contacts.filter((c) => c.role === 'economic');
  let decisionMaker: DecisionMakerStatus = 'unknown';
  // Engaged means said so, or a supporter when nobody said; a neutral or unrated decision maker is
  // not assumed engaged (that would hide the case for a senior-management visit).
  const engaged = (c: Contact): boolean => c.engaged === true || (c.engaged === null && c.rating !== null && c.rating > 0);
  if (deciders.some((c) => c.rating !== null && c.rating < 0)) decisionMaker = 'opposed';
  else if (deciders.some(engaged)) decisionMaker = 'engaged';
  else if (deciders.length > 0) decisionMaker = 'notEngaged';
  const hasCoach = contacts.some((c) => c.role === 'coach');

  const depth = (r.depthPoints * Math.min(solid, r.depthCap)) / r.depthCap;
  const balance = contacts.length > 0 ? (r.balancePoints * Math.max(0, supporters - opponents)) / contacts.length : 0;
  const raw = depth + (decisionMaker === 'engaged' ? r.decisionMakerPoints : 0) + (hasCoach ? r.coachPoints : 0) + balance;
  const coverage = Math.round(Math.min(100, raw) * 10) / 10;

  const redFlags: Message[] = [];
  if (solid < r.minSolidContacts) redFlags.push(message('singleThreaded', { solid, min: r.minSolidContacts }));
  if (decisionMaker === 'unknown') redFlags.push(message('decisionMakerUnknown', {}));
  if (decisionMaker === 'opposed') redFlags.push(message('decisionMakerOpposed', {}));
  const names = (list: Contact[]): string => list.map((c) => c.name || '?').join(', ');
  const influentialOpponents = contacts.filter((c) => c.influence === 'high' && c.rating !== null && c.rating < 0);
  if (influentialOpponents.length > 0) redFlags.push(message('influentialOpponent', { names: names(influentialOpponents) }));
  const vested = contacts.filter((c) => c.vestedInterest !== null && !c.resolved);
  if (vested.length > 0) redFlags.push(message('vestedInterest', { names: names(vested) }));
  if (!hasCoach) redFlags.push(message('noCoach', {}));

  return { coverage, contacts: contacts.length, solid, supporters, opponents, decisionMaker, hasCoach, redFlags, problems };
}
