/** The checks Herald makes that a browser can make too (the server also refuses well-known passwords). */
export function passwordProblem(password: string, email?: string, minLength = 12): string | undefined {
  if (password.length < minLength) return `Use at least ${minLength} characters.`;
  if (new TextEncoder().encode(password).length > 72) return "Use at most 72 bytes (fewer characters).";
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) return "The password must not be your e-mail.";
  return undefined;
}
