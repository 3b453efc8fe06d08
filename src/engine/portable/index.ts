export { portableFormulas, ruleReferences, PORTABLE_FUNCTIONS, type PortableOptions, type PortableFormulas, type RuleReferenceOptions } from './formulas';
