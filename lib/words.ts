// Numbers as the docs write them in prose.
const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/** "eight"; figures above twelve stay digits. */
export const inWords = (n: number) => WORDS[n] ?? String(n);

/** "1 finding", "2 findings": a count with its noun, plural unless one. */
export const counted = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;

/** 10000 as "10,000". */
export const thousands = (n: number) => n.toLocaleString("en-US");

/** `text` as lines of at most `width` characters, broken at spaces. */
export function wrapped(text: string, width = 100): string {
    const lines: string[] = [];
    for (const word of text.split(/\s+/).filter(Boolean)) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
        else lines.push(word);
    }
    return lines.join("\n");
}

/** How a measurement reads against its target: "met", or "MISSED" in capitals so it stands out. */
export const verdictWord = (ok: boolean): "met" | "MISSED" => (ok ? "met" : "MISSED");
