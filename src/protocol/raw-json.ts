/**
 * An output that is already JSON text: the JSON codecs send it as it is instead of serialising
 * an object. DescribeJobs uses it to send stored job details without parsing them first.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export function serialise(body: unknown): string {
  return body instanceof RawJson ? body.text : JSON.stringify(body ?? {});
}
