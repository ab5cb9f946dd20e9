const GSM7 =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXT = "^{}\\[~]|€";

/** How many SMS parts a text takes (GSM-7: 160, or 153 per part; otherwise UCS-2: 70, or 67 per part). */
export function smsParts(text: string): { parts: number; encoding: "GSM-7" | "UCS-2"; units: number } {
  let units = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM7.includes(ch)) units += 1;
    else if (GSM7_EXT.includes(ch)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (!gsm) {
    const u = [...text].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff ? 2 : 1), 0);
    return { parts: u === 0 ? 0 : u <= 70 ? 1 : Math.ceil(u / 67), encoding: "UCS-2", units: u };
  }
  return { parts: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153), encoding: "GSM-7", units };
}
