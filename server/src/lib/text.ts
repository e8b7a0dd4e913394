/**
 * Folds text for accent- and case-insensitive search: « Écran » → « ecran ».
 * @example foldText('Écran bloqué') // 'ecran bloque'
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words of a search query, folded, letters and digits only. */
export function searchTerms(q: string): string[] {
  return foldText(q).match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? [];
}
