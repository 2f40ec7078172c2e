/** Node's util.inspect hook: views print the values they currently show. */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as any;
