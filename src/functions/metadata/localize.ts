/**
 * Build step for the custom-function metadata (run by the webpack plugin in ../build, tested in
 * Node): completes the generated functions.json with what JSDoc cannot say, and derives each
 * localized file from it and a language pack. Kept free of runtime imports so the build can load
 * it on its own.
 */

export interface ParameterMetadata {
  name: string;
  description?: string;
  type?: string;
  dimensionality?: string;
  optional?: boolean;
}

export interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  helpUrl?: string;
  parameters: ParameterMetadata[];
  result?: { type?: string; dimensionality?: string };
  options?: Record<string, boolean>;
}

export interface FunctionsMetadata {
  allowCustomDataForDataTypeAny?: boolean;
  allowErrorForDataTypeAny?: boolean;
  functions: FunctionMetadata[];
  enums?: unknown[];
}

/** A language pack as the build reads it: by function id, then by parameter name. */
export type LooseLanguagePack = Readonly<Record<string, { name: string; description: string; params: Readonly<Record<string, { name: string; description: string }>> }>>;

export interface PrepareOptions {
  /** The JSDoc help URLs' base, replaced by `helpBaseUrl` (the production host). */
  devBaseUrl: string;
  helpBaseUrl: string;
}

/**
 * The generated metadata, completed:
 * - `allowErrorForDataTypeAny`, so that a range holding an error still reaches the function, which
 *   gives that row its error and the other rows their values (without it Excel answers the whole
 *   call with the error and never calls the function). The generator cannot set it from JSDoc.
 * - help URLs pointing at the host the add-in is served from.
 */
export function prepareMetadata(metadata: FunctionsMetadata, options: PrepareOptions): FunctionsMetadata {
  return {
    ...metadata,
    allowErrorForDataTypeAny: true,
    functions: metadata.functions.map((f) =>
      f.helpUrl === undefined || !f.helpUrl.startsWith(options.devBaseUrl) ? f : { ...f, helpUrl: options.helpBaseUrl + f.helpUrl.slice(options.devBaseUrl.length) },
    ),
  };
}

/** Excel's rule for a function's display name: a letter first, then letters, digits, `.` and `_`; 3–128 characters. */
export function isValidFunctionName(name: string): boolean {
  return name.length >= 3 && name.length <= 128 && /^\p{L}[\p{L}0-9._]*$/u.test(name);
}

export interface Localized {
  metadata: FunctionsMetadata;
  /** What is missing or wrong in the pack; the build fails on any. */
  problems: string[];
}

/** The metadata with names and descriptions from `pack`; ids, types and help URLs unchanged. */
export function localizeMetadata(metadata: FunctionsMetadata, pack: LooseLanguagePack, locale: string): Localized {
  const problems: string[] = [];
  const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
  const seenNames = new Map<string, string>();

  const functions = metadata.functions.map((f): FunctionMetadata => {
    const t = pack[f.id];
    if (!t) {
      problems.push(`${locale}: function ${f.id} has no translation`);
      return f;
    }
    if (blank(t.name) || blank(t.description)) problems.push(`${locale}: function ${f.id} needs a name and a description`);
    else if (!isValidFunctionName(t.name)) problems.push(`${locale}: function ${f.id}: "${t.name}" is not a valid function name`);
    const clash = seenNames.get(t.name.toLowerCase());
    if (clash !== undefined) problems.push(`${locale}: functions ${clash} and ${f.id} are both named "${t.name}"`);
    seenNames.set(t.name.toLowerCase(), f.id);

    const parameters = f.parameters.map((p): ParameterMetadata => {
      const tp = t.params[p.name];
      if (!tp) {
        problems.push(`${locale}: parameter ${p.name} of ${f.id} has no translation`);
        return p;
      }
      if (blank(tp.name) || blank(tp.description)) problems.push(`${locale}: parameter ${p.name} of ${f.id} needs a name and a description`);
      return { ...p, name: tp.name, description: tp.description };
    });
    const known = new Set(f.parameters.map((p) => p.name));
    for (const extra of Object.keys(t.params)) {
      if (!known.has(extra)) problems.push(`${locale}: ${f.id} has a translation for a parameter it does not have: ${extra}`);
    }
    return { ...f, name: t.name, description: t.description, parameters };
  });

  const ids = new Set(metadata.functions.map((f) => f.id));
  for (const id of Object.keys(pack)) if (!ids.has(id)) problems.push(`${locale}: translation for a function that does not exist: ${id}`);

  return { metadata: { ...metadata, functions }, problems };
}
