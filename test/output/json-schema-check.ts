/**
 * Just enough JSON Schema (the keywords docs/digest.schema.json uses) to check
 * real output against the documented contract without another dependency.
 */
type Schema = Record<string, unknown>;

export function checkSchema(value: unknown, schema: Schema, path = '$'): string[] {
  const errors: string[] = [];
  const types = schema['type'] === undefined ? null : ([] as string[]).concat(schema['type'] as string | string[]);
  if (types && !types.some((t) => isType(value, t))) return [`${path}: expected ${types.join(' or ')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  if ('const' in schema && value !== schema['const']) errors.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema['enum'])}`);
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: below minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: above maximum`);
  }
  if (typeof value === 'string' && schema['format'] === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${path}: not a date-time`);
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) errors.push(`${path}: too few items`);
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) errors.push(`${path}: too many items`);
    if (schema['items'])
      value.forEach((v, i) => {
        errors.push(...checkSchema(v, schema['items'] as Schema, `${path}[${i}]`));
      });
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in obj)) errors.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...checkSchema(v, props[key], `${path}.${key}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}: undocumented field ${key}`);
    }
  }
  return errors;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
