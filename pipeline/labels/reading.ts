/**
 * The words of the reader's aids, in the book's language (English, Spanish,
 * Portuguese, French, German; English for any other, as in ./index.ts): where
 * a chapter stands in the book and how long it takes, what each source is, the
 * table of a disagreement, and the book's dates.
 */
import {primaryLanguage} from './index.js'

/** Every label of the reader's aids. */
export interface ReadingLabels {
  /** `Chapter 3 of 7`, in the header. */
  chapterOf: (n: number, count: number) => string
  /** `6 min read`, under a chapter's title. */
  readingTime: (minutes: number) => string
  /** The names of a source's facts on the sources page. */
  facts: {language: string; kind: string; medium: string; covers: string}
  /** `Cited in 41 notes`: the summary of a source's citing places. */
  citedInPlaces: (count: number) => string
  /** Headers of a disagreement's table. */
  table: {source: string; language: string; says: string; note: string}
}

const en: ReadingLabels = {
  chapterOf: (n, count) => `Chapter ${n} of ${count}`,
  readingTime: (minutes) => `${minutes} min read`,
  facts: {language: 'Language', kind: 'What it is', medium: 'Medium', covers: 'What it covers'},
  citedInPlaces: (count) => `Cited in ${count} ${count === 1 ? 'note' : 'notes'}`,
  table: {source: 'Source', language: 'Language', says: 'What it says', note: 'Note'}
}

const es: ReadingLabels = {
  chapterOf: (n, count) => `Capítulo ${n} de ${count}`,
  readingTime: (minutes) => `${minutes} min de lectura`,
  facts: {language: 'Idioma', kind: 'Qué es', medium: 'Medio', covers: 'Qué abarca'},
  citedInPlaces: (count) => `Citada en ${count} ${count === 1 ? 'nota' : 'notas'}`,
  table: {source: 'Fuente', language: 'Idioma', says: 'Qué dice', note: 'Nota'}
}

const pt: ReadingLabels = {
  chapterOf: (n, count) => `Capítulo ${n} de ${count}`,
  readingTime: (minutes) => `${minutes} min de leitura`,
  facts: {language: 'Idioma', kind: 'O que é', medium: 'Meio', covers: 'O que abrange'},
  citedInPlaces: (count) => `Citada em ${count} ${count === 1 ? 'nota' : 'notas'}`,
  table: {source: 'Fonte', language: 'Idioma', says: 'O que diz', note: 'Nota'}
}

const fr: ReadingLabels = {
  chapterOf: (n, count) => `Chapitre ${n} sur ${count}`,
  readingTime: (minutes) => `${minutes} min de lecture`,
  facts: {language: 'Langue', kind: 'Nature', medium: 'Support', covers: 'Ce qu’il couvre'},
  citedInPlaces: (count) => `Citée dans ${count} ${count === 1 ? 'note' : 'notes'}`,
  table: {source: 'Source', language: 'Langue', says: 'Ce qu’elle dit', note: 'Note'}
}

const de: ReadingLabels = {
  chapterOf: (n, count) => `Kapitel ${n} von ${count}`,
  readingTime: (minutes) => `${minutes} Min. Lesezeit`,
  facts: {language: 'Sprache', kind: 'Art', medium: 'Medium', covers: 'Inhalt'},
  citedInPlaces: (count) => `In ${count} ${count === 1 ? 'Anmerkung' : 'Anmerkungen'} zitiert`,
  table: {source: 'Quelle', language: 'Sprache', says: 'Was sie sagt', note: 'Anm.'}
}

const byLanguage: Record<string, ReadingLabels> = {en, es, pt, fr, de}

/** The reader's aids' labels for `language` (a BCP 47 tag), English for a language without its own. */
export function readingLabelsFor(language: string): ReadingLabels {
  return byLanguage[primaryLanguage(language)] ?? en
}

/** The name of a language (a BCP 47 tag such as `pt`) in the book's language: `Portuguese`, `portugués`. */
export function languageName(tag: string, bookLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([bookLanguage, 'en'], {type: 'language'}).of(tag)
    return name ?? tag
  } catch {
    return tag
  }
}

/**
 * A date (`YYYY-MM-DD`) in the book's words, as its text writes dates: day, month, year (`23 November 2026`,
 * `23 de noviembre de 2026`) in every language, English included, so the title page agrees with the text.
 */
export function bookDate(iso: string, language: string): string {
  const date = new Date(`${iso}T00:00:00Z`)
  const english = primaryLanguage(language) === 'en'
  // English in its day-month-year form; any other language in its own long form, which already puts the day first.
  return new Intl.DateTimeFormat(english ? 'en-GB' : language, {dateStyle: 'long', timeZone: 'UTC'}).format(date)
}

/** Minutes to read `words` words at 230 a minute, at least one. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / 230))
}
