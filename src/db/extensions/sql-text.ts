/** `"name"`, always quoted (stand-in SQL names schemas the project chose). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A standard string literal. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
