/** The two attributes a trigger needs of a function (`LambdaFunction` and `BundledFunction.function` fit). */
export interface InvokableFunction {
  readonly functionName: string;
  readonly arn: string;
}
