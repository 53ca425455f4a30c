/**
 * The words the Markdown dialect puts around the author's text, in the
 * book's language (English, Spanish, Portuguese, French, German; English for
 * any other, as in ./index.ts): the titles of callouts that have none of
 * their own, the words of footnotes, and what cross-references and the
 * numbers of captions read as.
 */
import {primaryLanguage} from './index.js'

/** Every label of the dialect. */
export interface DialectLabels {
  /** A callout's title when it has none of its own (Quarto's and GitHub's kinds). */
  callout: {note: string; tip: string; important: string; warning: string; caution: string}
  /** The heading (web) and name (EPUB) of a chapter's footnotes. */
  footnotes: string
  /** `aria-label` of a footnote's number in the text. */
  footnote: (n: number) => string
  /** `aria-label` of the link from a footnote back to where it is called. */
  backToFootnote: (n: number) => string
  /** What a numbered figure, table, section (one without a title) or equation is called: `Figure 3`. */
  numbered: {fig: string; tbl: string; sec: string; eq: string}
  /** Between a figure's or table's number and its caption: `Figure 3: A plot`. */
  captionSeparator: string
}

const en: DialectLabels = {
  callout: {note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution'},
  footnotes: 'Footnotes',
  footnote: (n) => `Footnote ${n}`,
  backToFootnote: (n) => `Back to footnote reference ${n}`,
  numbered: {fig: 'Figure', tbl: 'Table', sec: 'Section', eq: 'Equation'},
  captionSeparator: ': '
}

const es: DialectLabels = {
  callout: {note: 'Nota', tip: 'Consejo', important: 'Importante', warning: 'Advertencia', caution: 'Precaución'},
  footnotes: 'Notas al pie',
  footnote: (n) => `Nota al pie ${n}`,
  backToFootnote: (n) => `Volver a la llamada de la nota ${n}`,
  numbered: {fig: 'Figura', tbl: 'Tabla', sec: 'Sección', eq: 'Ecuación'},
  captionSeparator: ': '
}

const pt: DialectLabels = {
  callout: {note: 'Nota', tip: 'Dica', important: 'Importante', warning: 'Aviso', caution: 'Cuidado'},
  footnotes: 'Notas de rodapé',
  footnote: (n) => `Nota de rodapé ${n}`,
  backToFootnote: (n) => `Voltar à chamada da nota ${n}`,
  numbered: {fig: 'Figura', tbl: 'Tabela', sec: 'Seção', eq: 'Equação'},
  captionSeparator: ': '
}

const fr: DialectLabels = {
  callout: {note: 'Note', tip: 'Astuce', important: 'Important', warning: 'Avertissement', caution: 'Attention'},
  footnotes: 'Notes de bas de page',
  footnote: (n) => `Note de bas de page ${n}`,
  backToFootnote: (n) => `Retour à l’appel de note ${n}`,
  numbered: {fig: 'Figure', tbl: 'Tableau', sec: 'Section', eq: 'Équation'},
  captionSeparator: ' : '
}

const de: DialectLabels = {
  callout: {note: 'Hinweis', tip: 'Tipp', important: 'Wichtig', warning: 'Warnung', caution: 'Vorsicht'},
  footnotes: 'Fußnoten',
  footnote: (n) => `Fußnote ${n}`,
  backToFootnote: (n) => `Zurück zum Fußnotenzeichen ${n}`,
  numbered: {fig: 'Abbildung', tbl: 'Tabelle', sec: 'Abschnitt', eq: 'Gleichung'},
  captionSeparator: ': '
}

const byLanguage: Record<string, DialectLabels> = {en, es, pt, fr, de}

/** The dialect's labels for `language`, by its primary subtag (`pt-BR` → `pt`); English for any other. */
export function dialectLabelsFor(language: string): DialectLabels {
  return byLanguage[primaryLanguage(language)] ?? en
}
