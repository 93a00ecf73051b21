/** The API's typed message, beside the field it names. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}

export function describedBy(id: string, message: string | undefined): string | undefined {
  return message ? id : undefined;
}
