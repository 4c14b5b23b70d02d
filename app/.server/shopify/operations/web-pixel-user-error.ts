/** ErrorsWebPixelUserError, shared by webPixelCreate and webPixelUpdate. */
export interface WebPixelUserError {
  field: string[] | null;
  message: string;
  /** BLANK | TAKEN | NOT_FOUND | INVALID_SETTINGS | UNABLE_TO_DELETE */
  code: string | null;
}

export interface WebPixelWriteResult {
  webPixel: { id: string } | null;
  userErrors: WebPixelUserError[];
}

export function describeWebPixelUserErrors(errors: readonly WebPixelUserError[]): string {
  return errors.map((error) => `${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message}${error.code ? ` [${error.code}]` : ""}`).join("; ");
}
