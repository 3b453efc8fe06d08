export { portableFormulas, ruleReferences, PORTABLE_FUNCTIONS, MAX_FORMULA_LENGTH, type PortableOptions, type PortableFormulas, type RuleReferenceOptions } from './formulas';
