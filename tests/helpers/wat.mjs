// A test module from WebAssembly text (binaryen), with the features given
// (binaryen.Features values, or'ed); throws if it does not validate.
import binaryen from 'binaryen';

export function wat(text, features = binaryen.Features.MVP) {
  const mod = binaryen.parseText(text);
  mod.setFeatures(features);
  if (!mod.validate()) throw new Error('test module does not validate');
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

export { binaryen };
