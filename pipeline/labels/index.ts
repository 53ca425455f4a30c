/**
 * The words both books put around the author's text (navigation, notes,
 * sources, disagreements, the EPUB's landmarks and cover text), in the
 * book's `language`: English, Spanish, Portuguese, French and German. Any
 * other language gets English, with a warning at `language` in book.yaml
 * (`untranslated-language`). Citations and dates follow `language` through
 * CSL and `Intl` already. Each language is one object, every word of both
 * books and of the Markdown dialect in it, so a translation is made in one
 * place.
 */

/** Every label, as text or as a function of what it counts or names. */
export interface Labels {
  skipToStory: string
  /** A chapter's number line: `Chapter 3`, or `Chapter 3.1` for a nested one. */
  chapter: (n: number | string) => string
  /** An appendix's letter line: `Appendix A`. */
  appendix: (letter: string) => string
  /** The group of appendices in the contents, when the book gives it no title. */
  appendices: string
  previous: string
  next: string
  contents: string
  /** `aria-label` of the previous/next chapter navigation. */
  chaptersNav: string
  /** `aria-label` of the footer's navigation. */
  bookNav: string
  startReading: string
  downloadEpub: (size: string) => string
  /** `aria-label` of the cover page's links to the book-wide pages. */
  aboutSources: string
  stepCount: (n: number, count: number) => string
  /** A figure's place in its sequence, in an EPUB caption: `2 of 4`. */
  figureCount: (n: number, count: number) => string
  /** A graphic's data table: its caption (`Data: The siege, day by day`) and its source column. */
  dataTable: (title: string) => string
  dataSource: string
  /** Read after “Previous” and “Next” by screen readers only. */
  stepSuffix: string
  /** `aria-label` of a note number. */
  note: (n: number) => string
  sourcesDisagree: string
  everyDisagreement: string
  notes: string
  backToCitation: (n: number) => string
  backToPassage: string
  whereSourcesDisagree: string
  disagreementsDescription: (count: number, title: string) => string
  /** The web page's introduction (the story shows each account). */
  disagreementsIntroWeb: (count: number) => string
  /** The EPUB document's introduction. */
  disagreementsIntroEpub: (count: number) => string
  readPassage: (chapter: number, title: string) => string
  /** “Sources disagree: <topic>”, the EPUB's noteref and note heading. */
  sourcesDisagreeOn: (topic: string) => string
  sources: string
  sourcesContinued: (part: number, parts: number) => string
  sourcesDescription: (title: string) => string
  sourcesIntro: string
  notCited: string
  citedIn: string
  /** `ch. 3, notes ` before a chapter's note numbers in “Cited in …”. */
  chapterNotes: (chapter: number, count: number) => string
  /** How a link to a citing place is read: `ch. 3, note 27`. */
  place: (chapter: number, note: number) => string
  notesToChapter: (chapter: number, title: string) => string
  cover: string
  titlePage: string
  startOfContent: string
  landmarks: string
  /** Before the date on the title page, when the edition is not the first. */
  edition: (edition: string) => string
  /** The cover image's text alternative: what opens it, and the authors' line. */
  coverAlt: {cover: string; by: (names: string) => string}
  /** The decimal separator in sizes (`1.2 MB`). */
  decimal: string

  // The words the Markdown dialect puts around the author's text.
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

  // The reader's aids: where a chapter stands and how long it takes, what each source is, a disagreement's table.
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

const en: Labels = {
  skipToStory: 'Skip to the story',
  chapter: (n) => `Chapter ${n}`,
  appendix: (letter) => `Appendix ${letter}`,
  appendices: 'Appendices',
  previous: 'Previous',
  next: 'Next',
  contents: 'Contents',
  chaptersNav: 'Chapters',
  bookNav: 'Book',
  startReading: 'Start reading',
  downloadEpub: (size) => `Download the EPUB (${size})`,
  aboutSources: 'About the sources',
  stepCount: (n, count) => `Step ${n} of ${count}`,
  figureCount: (n, count) => `${n} of ${count}`,
  dataTable: (title) => `Data: ${title}`,
  dataSource: 'Source',
  stepSuffix: ' step',
  note: (n) => `Note ${n}`,
  sourcesDisagree: 'Sources disagree',
  everyDisagreement: 'Every place where the sources disagree',
  notes: 'Notes',
  backToCitation: (n) => `Back to citation ${n}`,
  backToPassage: 'Back to the passage',
  whereSourcesDisagree: 'Where the sources disagree',
  disagreementsDescription: (count, title) =>
    `The ${count === 1 ? 'place' : `${count} places`} where the sources of “${title}” disagree, with what each of them says.`,
  disagreementsIntroWeb: (count) =>
    `The sources disagree in ${count === 1 ? 'one place' : `${count} places`}. The story shows each of them; here they are together, with every source’s account and its note.`,
  disagreementsIntroEpub: (count) =>
    `The sources disagree in ${count === 1 ? 'one place' : `${count} places`}. Here they are together, with every source’s account and its note.`,
  readPassage: (chapter, title) => `Read the passage in chapter ${chapter}, “${title}”`,
  sourcesDisagreeOn: (topic) => `Sources disagree: ${topic}`,
  sources: 'Sources',
  sourcesContinued: (part, parts) => `Sources, continued (${part} of ${parts})`,
  sourcesDescription: (title) => `Every work “${title}” cites, with links to each place that cites it.`,
  sourcesIntro: 'Every work this book cites, with a link to each place that cites it.',
  notCited: 'Not cited in the text.',
  citedIn: 'Cited in ',
  chapterNotes: (chapter, count) => `ch. ${chapter}, ${count === 1 ? 'note' : 'notes'} `,
  place: (chapter, note) => `ch. ${chapter}, note ${note}`,
  notesToChapter: (chapter, title) => `Notes to chapter ${chapter}: ${title}`,
  cover: 'Cover',
  titlePage: 'Title page',
  startOfContent: 'Start of content',
  landmarks: 'Landmarks',
  edition: (edition) => `Edition ${edition}, `,
  coverAlt: {cover: 'Cover:', by: (names) => `By ${names}`},
  decimal: '.',
  callout: {note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution'},
  footnotes: 'Footnotes',
  footnote: (n) => `Footnote ${n}`,
  backToFootnote: (n) => `Back to footnote reference ${n}`,
  numbered: {fig: 'Figure', tbl: 'Table', sec: 'Section', eq: 'Equation'},
  captionSeparator: ': ',
  chapterOf: (n, count) => `Chapter ${n} of ${count}`,
  readingTime: (minutes) => `${minutes} min read`,
  facts: {language: 'Language', kind: 'What it is', medium: 'Medium', covers: 'What it covers'},
  citedInPlaces: (count) => `Cited in ${count} ${count === 1 ? 'note' : 'notes'}`,
  table: {source: 'Source', language: 'Language', says: 'What it says', note: 'Note'}
}

const es: Labels = {
  skipToStory: 'Saltar a la historia',
  chapter: (n) => `Capítulo ${n}`,
  appendix: (letter) => `Apéndice ${letter}`,
  appendices: 'Apéndices',
  previous: 'Anterior',
  next: 'Siguiente',
  contents: 'Índice',
  chaptersNav: 'Capítulos',
  bookNav: 'Libro',
  startReading: 'Empezar a leer',
  downloadEpub: (size) => `Descargar el EPUB (${size})`,
  aboutSources: 'Sobre las fuentes',
  stepCount: (n, count) => `Paso ${n} de ${count}`,
  figureCount: (n, count) => `${n} de ${count}`,
  dataTable: (title) => `Datos: ${title}`,
  dataSource: 'Fuente',
  stepSuffix: ' (paso)',
  note: (n) => `Nota ${n}`,
  sourcesDisagree: 'Las fuentes discrepan',
  everyDisagreement: 'Todos los puntos en que las fuentes discrepan',
  notes: 'Notas',
  backToCitation: (n) => `Volver a la cita ${n}`,
  backToPassage: 'Volver al pasaje',
  whereSourcesDisagree: 'Donde las fuentes discrepan',
  disagreementsDescription: (count, title) =>
    `${count === 1 ? 'El punto' : `Los ${count} puntos`} en que las fuentes de «${title}» discrepan, con lo que dice cada una.`,
  disagreementsIntroWeb: (count) =>
    `Las fuentes discrepan en ${count === 1 ? 'un punto' : `${count} puntos`}. La historia muestra cada versión; aquí están juntas, con el relato de cada fuente y su nota.`,
  disagreementsIntroEpub: (count) =>
    `Las fuentes discrepan en ${count === 1 ? 'un punto' : `${count} puntos`}. Aquí están juntas, con el relato de cada fuente y su nota.`,
  readPassage: (chapter, title) => `Leer el pasaje en el capítulo ${chapter}, «${title}»`,
  sourcesDisagreeOn: (topic) => `Las fuentes discrepan: ${topic}`,
  sources: 'Fuentes',
  sourcesContinued: (part, parts) => `Fuentes (continuación, ${part} de ${parts})`,
  sourcesDescription: (title) => `Todas las obras que cita «${title}», con enlaces a cada lugar que las cita.`,
  sourcesIntro: 'Todas las obras que cita este libro, con un enlace a cada lugar que las cita.',
  notCited: 'No se cita en el texto.',
  citedIn: 'Citada en ',
  chapterNotes: (chapter, count) => `cap. ${chapter}, ${count === 1 ? 'nota' : 'notas'} `,
  place: (chapter, note) => `cap. ${chapter}, nota ${note}`,
  notesToChapter: (chapter, title) => `Notas al capítulo ${chapter}: ${title}`,
  cover: 'Cubierta',
  titlePage: 'Portada',
  startOfContent: 'Inicio del contenido',
  landmarks: 'Puntos de referencia',
  edition: (edition) => `Edición ${edition}, `,
  coverAlt: {cover: 'Cubierta:', by: (names) => `Por ${names}`},
  decimal: ',',
  callout: {note: 'Nota', tip: 'Consejo', important: 'Importante', warning: 'Advertencia', caution: 'Precaución'},
  footnotes: 'Notas al pie',
  footnote: (n) => `Nota al pie ${n}`,
  backToFootnote: (n) => `Volver a la llamada de la nota ${n}`,
  numbered: {fig: 'Figura', tbl: 'Tabla', sec: 'Sección', eq: 'Ecuación'},
  captionSeparator: ': ',
  chapterOf: (n, count) => `Capítulo ${n} de ${count}`,
  readingTime: (minutes) => `${minutes} min de lectura`,
  facts: {language: 'Idioma', kind: 'Qué es', medium: 'Medio', covers: 'Qué abarca'},
  citedInPlaces: (count) => `Citada en ${count} ${count === 1 ? 'nota' : 'notas'}`,
  table: {source: 'Fuente', language: 'Idioma', says: 'Qué dice', note: 'Nota'}
}

const pt: Labels = {
  skipToStory: 'Ir para a história',
  chapter: (n) => `Capítulo ${n}`,
  appendix: (letter) => `Apêndice ${letter}`,
  appendices: 'Apêndices',
  previous: 'Anterior',
  next: 'Próximo',
  contents: 'Índice',
  chaptersNav: 'Capítulos',
  bookNav: 'Livro',
  startReading: 'Começar a ler',
  downloadEpub: (size) => `Obter o EPUB (${size})`,
  aboutSources: 'Sobre as fontes',
  stepCount: (n, count) => `Passo ${n} de ${count}`,
  figureCount: (n, count) => `${n} de ${count}`,
  dataTable: (title) => `Dados: ${title}`,
  dataSource: 'Fonte',
  stepSuffix: ' (passo)',
  note: (n) => `Nota ${n}`,
  sourcesDisagree: 'As fontes divergem',
  everyDisagreement: 'Todos os pontos em que as fontes divergem',
  notes: 'Notas',
  backToCitation: (n) => `Voltar à citação ${n}`,
  backToPassage: 'Voltar à passagem',
  whereSourcesDisagree: 'Onde as fontes divergem',
  disagreementsDescription: (count, title) =>
    `${count === 1 ? 'O ponto' : `Os ${count} pontos`} em que as fontes de “${title}” divergem, com o que cada uma diz.`,
  disagreementsIntroWeb: (count) =>
    `As fontes divergem ${count === 1 ? 'num ponto' : `em ${count} pontos`}. A história mostra cada versão; aqui estão juntas, com o relato de cada fonte e a sua nota.`,
  disagreementsIntroEpub: (count) =>
    `As fontes divergem ${count === 1 ? 'num ponto' : `em ${count} pontos`}. Aqui estão juntas, com o relato de cada fonte e a sua nota.`,
  readPassage: (chapter, title) => `Ler a passagem no capítulo ${chapter}, “${title}”`,
  sourcesDisagreeOn: (topic) => `As fontes divergem: ${topic}`,
  sources: 'Fontes',
  sourcesContinued: (part, parts) => `Fontes (continuação, ${part} de ${parts})`,
  sourcesDescription: (title) => `Todas as obras que “${title}” cita, com ligações para cada lugar que as cita.`,
  sourcesIntro: 'Todas as obras que este livro cita, com uma ligação para cada lugar que as cita.',
  notCited: 'Não citada no texto.',
  citedIn: 'Citada em ',
  chapterNotes: (chapter, count) => `cap. ${chapter}, ${count === 1 ? 'nota' : 'notas'} `,
  place: (chapter, note) => `cap. ${chapter}, nota ${note}`,
  notesToChapter: (chapter, title) => `Notas ao capítulo ${chapter}: ${title}`,
  cover: 'Capa',
  titlePage: 'Folha de rosto',
  startOfContent: 'Início do conteúdo',
  landmarks: 'Pontos de referência',
  edition: (edition) => `Edição ${edition}, `,
  coverAlt: {cover: 'Capa:', by: (names) => `Por ${names}`},
  decimal: ',',
  callout: {note: 'Nota', tip: 'Dica', important: 'Importante', warning: 'Aviso', caution: 'Cuidado'},
  footnotes: 'Notas de rodapé',
  footnote: (n) => `Nota de rodapé ${n}`,
  backToFootnote: (n) => `Voltar à chamada da nota ${n}`,
  numbered: {fig: 'Figura', tbl: 'Tabela', sec: 'Seção', eq: 'Equação'},
  captionSeparator: ': ',
  chapterOf: (n, count) => `Capítulo ${n} de ${count}`,
  readingTime: (minutes) => `${minutes} min de leitura`,
  facts: {language: 'Idioma', kind: 'O que é', medium: 'Meio', covers: 'O que abrange'},
  citedInPlaces: (count) => `Citada em ${count} ${count === 1 ? 'nota' : 'notas'}`,
  table: {source: 'Fonte', language: 'Idioma', says: 'O que diz', note: 'Nota'}
}

const fr: Labels = {
  skipToStory: 'Aller au récit',
  chapter: (n) => `Chapitre ${n}`,
  appendix: (letter) => `Annexe ${letter}`,
  appendices: 'Annexes',
  previous: 'Précédent',
  next: 'Suivant',
  contents: 'Sommaire',
  chaptersNav: 'Chapitres',
  bookNav: 'Livre',
  startReading: 'Commencer la lecture',
  downloadEpub: (size) => `Télécharger l’EPUB (${size})`,
  aboutSources: 'À propos des sources',
  stepCount: (n, count) => `Étape ${n} sur ${count}`,
  figureCount: (n, count) => `${n} sur ${count}`,
  dataTable: (title) => `Données: ${title}`,
  dataSource: 'Source',
  stepSuffix: ' (étape)',
  note: (n) => `Note ${n}`,
  sourcesDisagree: 'Les sources divergent',
  everyDisagreement: 'Tous les points où les sources divergent',
  notes: 'Notes',
  backToCitation: (n) => `Retour à la citation ${n}`,
  backToPassage: 'Retour au passage',
  whereSourcesDisagree: 'Là où les sources divergent',
  disagreementsDescription: (count, title) =>
    `${count === 1 ? 'Le point' : `Les ${count} points`} où les sources de « ${title} » divergent, avec ce que dit chacune.`,
  disagreementsIntroWeb: (count) =>
    `Les sources divergent en ${count === 1 ? 'un point' : `${count} points`}. Le récit montre chaque version ; les voici réunies, avec le témoignage de chaque source et sa note.`,
  disagreementsIntroEpub: (count) =>
    `Les sources divergent en ${count === 1 ? 'un point' : `${count} points`}. Les voici réunies, avec le témoignage de chaque source et sa note.`,
  readPassage: (chapter, title) => `Lire le passage au chapitre ${chapter}, « ${title} »`,
  sourcesDisagreeOn: (topic) => `Les sources divergent : ${topic}`,
  sources: 'Sources',
  sourcesContinued: (part, parts) => `Sources (suite, ${part} sur ${parts})`,
  sourcesDescription: (title) =>
    `Toutes les œuvres que cite « ${title} », avec des liens vers chaque endroit qui les cite.`,
  sourcesIntro: 'Toutes les œuvres que ce livre cite, avec un lien vers chaque endroit qui les cite.',
  notCited: 'Non citée dans le texte.',
  citedIn: 'Citée au ',
  chapterNotes: (chapter, count) => `chap. ${chapter}, ${count === 1 ? 'note' : 'notes'} `,
  place: (chapter, note) => `chap. ${chapter}, note ${note}`,
  notesToChapter: (chapter, title) => `Notes du chapitre ${chapter} : ${title}`,
  cover: 'Couverture',
  titlePage: 'Page de titre',
  startOfContent: 'Début du contenu',
  landmarks: 'Repères',
  edition: (edition) => `Édition ${edition}, `,
  coverAlt: {cover: 'Couverture :', by: (names) => `Par ${names}`},
  decimal: ',',
  callout: {note: 'Note', tip: 'Astuce', important: 'Important', warning: 'Avertissement', caution: 'Attention'},
  footnotes: 'Notes de bas de page',
  footnote: (n) => `Note de bas de page ${n}`,
  backToFootnote: (n) => `Retour à l’appel de note ${n}`,
  numbered: {fig: 'Figure', tbl: 'Tableau', sec: 'Section', eq: 'Équation'},
  captionSeparator: ' : ',
  chapterOf: (n, count) => `Chapitre ${n} sur ${count}`,
  readingTime: (minutes) => `${minutes} min de lecture`,
  facts: {language: 'Langue', kind: 'Nature', medium: 'Support', covers: 'Ce qu’il couvre'},
  citedInPlaces: (count) => `Citée dans ${count} ${count === 1 ? 'note' : 'notes'}`,
  table: {source: 'Source', language: 'Langue', says: 'Ce qu’elle dit', note: 'Note'}
}

const de: Labels = {
  skipToStory: 'Zur Geschichte springen',
  chapter: (n) => `Kapitel ${n}`,
  appendix: (letter) => `Anhang ${letter}`,
  appendices: 'Anhänge',
  previous: 'Zurück',
  next: 'Weiter',
  contents: 'Inhalt',
  chaptersNav: 'Kapitel',
  bookNav: 'Buch',
  startReading: 'Lesen beginnen',
  downloadEpub: (size) => `EPUB herunterladen (${size})`,
  aboutSources: 'Über die Quellen',
  stepCount: (n, count) => `Schritt ${n} von ${count}`,
  figureCount: (n, count) => `${n} von ${count}`,
  dataTable: (title) => `Daten: ${title}`,
  dataSource: 'Quelle',
  stepSuffix: ' (Schritt)',
  note: (n) => `Anmerkung ${n}`,
  sourcesDisagree: 'Die Quellen widersprechen sich',
  everyDisagreement: 'Alle Stellen, an denen sich die Quellen widersprechen',
  notes: 'Anmerkungen',
  backToCitation: (n) => `Zurück zum Verweis ${n}`,
  backToPassage: 'Zurück zur Passage',
  whereSourcesDisagree: 'Wo sich die Quellen widersprechen',
  disagreementsDescription: (count, title) =>
    `${count === 1 ? 'Die Stelle, an der' : `Die ${count} Stellen, an denen`} sich die Quellen von „${title}“ widersprechen, mit dem, was jede sagt.`,
  disagreementsIntroWeb: (count) =>
    `Die Quellen widersprechen sich an ${count === 1 ? 'einer Stelle' : `${count} Stellen`}. Die Geschichte zeigt jede Fassung; hier stehen sie beisammen, mit dem Bericht jeder Quelle und ihrer Anmerkung.`,
  disagreementsIntroEpub: (count) =>
    `Die Quellen widersprechen sich an ${count === 1 ? 'einer Stelle' : `${count} Stellen`}. Hier stehen sie beisammen, mit dem Bericht jeder Quelle und ihrer Anmerkung.`,
  readPassage: (chapter, title) => `Die Passage in Kapitel ${chapter} lesen, „${title}“`,
  sourcesDisagreeOn: (topic) => `Die Quellen widersprechen sich: ${topic}`,
  sources: 'Quellen',
  sourcesContinued: (part, parts) => `Quellen (Fortsetzung, ${part} von ${parts})`,
  sourcesDescription: (title) => `Alle Werke, die „${title}“ zitiert, mit Links zu jeder Stelle, die sie zitiert.`,
  sourcesIntro: 'Alle Werke, die dieses Buch zitiert, mit einem Link zu jeder Stelle, die sie zitiert.',
  notCited: 'Im Text nicht zitiert.',
  citedIn: 'Zitiert in ',
  chapterNotes: (chapter) => `Kap. ${chapter}, Anm. `,
  place: (chapter, note) => `Kap. ${chapter}, Anm. ${note}`,
  notesToChapter: (chapter, title) => `Anmerkungen zu Kapitel ${chapter}: ${title}`,
  cover: 'Umschlag',
  titlePage: 'Titelseite',
  startOfContent: 'Beginn des Inhalts',
  landmarks: 'Orientierungspunkte',
  edition: (edition) => `${edition}. Auflage, `,
  coverAlt: {cover: 'Umschlag:', by: (names) => `Von ${names}`},
  decimal: ',',
  callout: {note: 'Hinweis', tip: 'Tipp', important: 'Wichtig', warning: 'Warnung', caution: 'Vorsicht'},
  footnotes: 'Fußnoten',
  footnote: (n) => `Fußnote ${n}`,
  backToFootnote: (n) => `Zurück zum Fußnotenzeichen ${n}`,
  numbered: {fig: 'Abbildung', tbl: 'Tabelle', sec: 'Abschnitt', eq: 'Gleichung'},
  captionSeparator: ': ',
  chapterOf: (n, count) => `Kapitel ${n} von ${count}`,
  readingTime: (minutes) => `${minutes} Min. Lesezeit`,
  facts: {language: 'Sprache', kind: 'Art', medium: 'Medium', covers: 'Inhalt'},
  citedInPlaces: (count) => `In ${count} ${count === 1 ? 'Anmerkung' : 'Anmerkungen'} zitiert`,
  table: {source: 'Quelle', language: 'Sprache', says: 'Was sie sagt', note: 'Anm.'}
}

const byLanguage: Record<string, Labels> = {en, es, pt, fr, de}

/** The languages with labels of their own (primary subtags of BCP 47). */
export const labelledLanguages = Object.keys(byLanguage)

/** Whether `language` (a BCP 47 tag: `es`, `pt-BR`) has labels of its own. */
export function hasLabels(language: string): boolean {
  return Object.hasOwn(byLanguage, primaryLanguage(language))
}

/** The labels for `language`, by its primary subtag (`pt-BR` → `pt`); English for any other. */
export function labelsFor(language: string): Labels {
  return byLanguage[primaryLanguage(language)] ?? en
}

/** The primary subtag of a BCP 47 tag, lowercase: `pt` for `pt-BR`. */
export function primaryLanguage(language: string): string {
  return language.toLowerCase().split('-')[0] ?? ''
}

/** A size in KB (whole) or MB (one decimal, with the language's separator). */
export function formatSize(bytes: number, labels: Labels): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1).replace('.', labels.decimal)} MB`
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
