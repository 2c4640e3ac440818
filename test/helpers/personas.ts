/** Three new users with a clear taste, for the tests that a fan recognises their list. */

export interface Persona {
  name: string;
  /** A recommendation counts as "theirs" when it has one of these ML-100K genres. */
  genres: string[];
  ratings: [title: string, stars: number][];
}

export const PERSONAS: Persona[] = [
  {
    name: 'sci-fi/action fan',
    genres: ['Action', 'Adventure', 'Sci-Fi'],
    ratings: [
      ['Star Wars (1977)', 5],
      ['Empire Strikes Back, The (1980)', 5],
      ['Return of the Jedi (1983)', 5],
      ['Raiders of the Lost Ark (1981)', 5],
      ['Terminator, The (1984)', 5],
      ['Sense and Sensibility (1995)', 1],
      ['Sleepless in Seattle (1993)', 1],
    ],
  },
  {
    name: 'romance/drama fan',
    genres: ['Romance', 'Drama'],
    ratings: [
      ['Sleepless in Seattle (1993)', 5],
      ['While You Were Sleeping (1995)', 5],
      ['Sense and Sensibility (1995)', 5],
      ['Pretty Woman (1990)', 5],
      ['Ghost (1990)', 5],
      ['Terminator 2: Judgment Day (1991)', 1],
      ['Die Hard (1988)', 1],
    ],
  },
  {
    name: "children's/animation fan",
    genres: ["Children's", 'Animation'],
    ratings: [
      ['Toy Story (1995)', 5],
      ['Lion King, The (1994)', 5],
      ['Aladdin (1992)', 5],
      ['Beauty and the Beast (1991)', 5],
      ['Snow White and the Seven Dwarfs (1937)', 5],
      ['Pulp Fiction (1994)', 1],
      ['Reservoir Dogs (1992)', 1],
    ],
  },
];

/** What the persona tests check of a top-10 list of titles (with the genres of each). */
export function personaVerdict(p: Persona, list: { title: string; genres: string[] }[]) {
  const rated = new Set(p.ratings.map(([t]) => t));
  return {
    inGenre: list.filter((x) => x.genres.some((g) => p.genres.includes(g))).length,
    distinct: new Set(list.map((x) => x.title)).size,
    rated: list.filter((x) => rated.has(x.title)).length,
  };
}
