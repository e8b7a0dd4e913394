import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import fr from '../locales/fr.json';

export type Lang = 'fr' | 'en';
const STORAGE_KEY = 'vigie.lang';

/** The browser's language if it is one we speak, else English. */
export function browserLanguage(): Lang {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const base = l.slice(0, 2).toLowerCase();
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

/** A choice made with the language switch wins until sign-out; then the user's, the organization's, the browser's. */
export function chosenLanguage(): Lang | null {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'fr' || v === 'en' ? v : null;
}

export function setLanguage(lang: Lang, remember: boolean) {
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export function forgetLanguageChoice() {
  localStorage.removeItem(STORAGE_KEY);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: chosenLanguage() ?? browserLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language;

export { i18n };
