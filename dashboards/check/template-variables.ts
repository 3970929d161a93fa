// Template variable substitution as Grafana does it before a panel query leaves the browser:
// `$name`, `${name}` and `${name:format}`, with the datasource's default format when none is
// given. Grafana's own built-ins (`$__interval`, `$timeFilter`, ...) are passed in `builtIns`.

// The values picked for a variable: `'All'`, or the selected values.
export type Selection = 'All' | readonly string[];

export interface VariableValue {
  selection: Selection;
  // The value that replaces All (`.*` for every Vigil variable).
  allValue: string;
}

// The format of a multi-value variable in a datasource's queries. `prometheus`: regex inside a PromQL string, so
// a backslash is doubled. `regex`: a bare regex (InfluxQL `/.../`, Lucene `/.../`). `lucene`:
// the Elasticsearch datasource's default, `("a" OR "b")`.
export type VariableFormat = 'prometheus' | 'regex' | 'lucene';

const regexSpecial = /[\\^$.|?*+()[\]{}]/g;
const luceneSpecial = /[+\-=&|><!(){}[\]^"~*?:\\/ ]/g;

function formatValues(values: readonly string[], format: VariableFormat): string {
  if (format === 'lucene') {
    const quoted = values.map((value) => `"${value.replace(luceneSpecial, '\\$&')}"`);
    return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
  }
  const escaped = values.map((value) => {
    const regex = value.replace(regexSpecial, '\\$&');
    return format === 'prometheus' ? regex.replaceAll('\\', '\\\\') : regex;
  });
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/**
 * Formats one variable. Grafana inserts a custom all value as it is, unescaped, whatever the
 * format, which is why Vigil's queries match variables as regexes.
 */
export function formatVariable(value: VariableValue, format: VariableFormat): string {
  if (value.selection === 'All') return value.allValue;
  if (value.selection.length === 0) {
    throw new Error('a variable selection is empty; select All or at least one value');
  }
  return formatValues(value.selection, format);
}

/**
 * Replaces every variable reference in `text`. An explicit `${name:regex}` uses the regex
 * format; `${name:lucene}` the Lucene one. Throws on a variable that is neither defined nor
 * built in, naming it, so a check fails instead of sending a literal `$name`.
 */
export function substituteVariables(
  text: string,
  variables: Readonly<Record<string, VariableValue>>,
  builtIns: Readonly<Record<string, string>>,
  defaultFormat: VariableFormat,
): string {
  return text.replace(
    /\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g,
    (reference, bracedName?: string, explicitFormat?: string, bareName?: string) => {
      const name = (bracedName ?? bareName)!;
      const builtIn = builtIns[name];
      if (builtIn !== undefined) return builtIn;

      const value = variables[name];
      if (value === undefined) {
        throw new Error(`variable ${reference} is not defined; define it or add it to builtIns`);
      }
      return formatVariable(value, chooseFormat(explicitFormat, defaultFormat));
    },
  );
}

function chooseFormat(explicit: string | undefined, fallback: VariableFormat): VariableFormat {
  if (explicit === undefined) return fallback;
  if (explicit === 'regex' || explicit === 'lucene') return explicit;
  throw new Error(`variable format "${explicit}" is not supported here; use regex or lucene`);
}
