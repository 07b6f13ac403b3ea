import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ko from './ko.json';

export type Locale = 'ko' | 'en';
const STORAGE_KEY = 'medsec.locale';

export const initialLocale = (): Locale => {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'ko' ? stored : 'ko';
};

void i18n.use(initReactI18next).init({
  resources: { ko: { translation: ko }, en: { translation: en } },
  lng: initialLocale(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

/** A language picked on the pages before sign-in; it wins over the account's stored preference at sign-in. */
let chosenBeforeSignIn: Locale | null = null;
export const chooseBeforeSignIn = (locale: Locale): void => {
  chosenBeforeSignIn = locale;
};
export const takeChosenBeforeSignIn = (): Locale | null => {
  const chosen = chosenBeforeSignIn;
  chosenBeforeSignIn = null;
  return chosen;
};

export const setLocale = (locale: Locale): void => {
  localStorage.setItem(STORAGE_KEY, locale);
  void i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
};

export { i18n };
