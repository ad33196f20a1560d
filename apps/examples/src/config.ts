import { arn, awsContextOf, type EnvironmentConfig } from "@platform/core";

/** Seed 004's choices that are not already fixed by `buildSingleContainerExample`. */
export interface SingleContainerConfig {
  /** IPv4 block of the example's own VPC. */
  readonly vpcCidr: string;
  /** Tag of the app image in the example's ECR repository. */
  readonly imageTag: string;
  /** ACM certificate of the public host name (issued outside this stack). */
  readonly certificateArn: string;
  /**
   * Secrets Manager secret holding the API keys as JSON, created and filled outside Terraform
   * (seed 004's `aws secretsmanager create-secret`), so the values never enter Terraform state.
   */
  readonly apiKeysSecretArn: string;
}

/** Seed 000's choices that are not already fixed by `buildTwoBackendsExample`. */
export interface TwoBackendsConfig {
  /** IPv4 block of the example's own VPC. */
  readonly vpcCidr: string;
  /** Image tags of the two backends in the example's ECR repositories. */
  readonly imageTags: { readonly go: string; readonly python: string };
  /** ACM certificate of the API host name (issued outside this stack). */
  readonly certificateArn: string;
  /** The migration switch: `false` is seed 000's rollback (fixed task counts, no scaler). */
  readonly autoScaling: boolean;
}

/** Seed 001's optional Airflow environment (MWAA) in its own private VPC. */
export interface AirflowConfig {
  /** IPv4 block of the example's own VPC. */
  readonly vpcCidr: string;
  /** @default "mw1.micro" */
  readonly environmentClass?: "mw1.micro" | "mw1.small";
}

/** Everything the examples app is built from. */
export interface ExamplesConfig {
  readonly environment: EnvironmentConfig;
  readonly singleContainer: SingleContainerConfig;
  readonly twoBackends: TwoBackendsConfig;
  /**
   * Seed 001's MWAA environment (`example-airflow`). Off by default, as it is everywhere: about
   * $200 a month while it exists. The terraform tier plans it with {@link airflowExample}.
   * @default no Airflow stack
   */
  readonly airflow?: AirflowConfig;
}

const ACCOUNT_ID = "123456789012";
const REGION = "ap-northeast-1";
const EXAMPLE_ACCOUNT = awsContextOf({ region: REGION, accountId: ACCOUNT_ID });

/**
 * The example environment. Account, certificate and secret are placeholders of the documentation
 * account: the stacks synthesize, validate and config offline, but deploying them means replacing
 * these with a real account's values.
 */
export const examples: ExamplesConfig = {
  environment: {
    project: "example",
    name: "example",
    region: REGION,
    accountId: ACCOUNT_ID,
    state: { bucket: `example-tfstate-${ACCOUNT_ID}`, lockTable: "example-tflock" },
  },
  singleContainer: {
    // Separate ranges per example, so the VPCs could be peered or share a transit gateway later.
    vpcCidr: "10.20.0.0/16",
    imageTag: "v2.3.0",
    certificateArn: arn(EXAMPLE_ACCOUNT, { service: "acm", resource: "certificate/0f0e0d0c-1111-2222-3333-444455556666" }),
    apiKeysSecretArn: arn(EXAMPLE_ACCOUNT, { service: "secretsmanager", resource: "secret:weather-comment-generator/api-keys-AbCdEf" }),
  },
  twoBackends: {
    vpcCidr: "10.30.0.0/16",
    imageTags: { go: "v1.8.0", python: "v1.8.0" },
    certificateArn: arn(EXAMPLE_ACCOUNT, { service: "acm", resource: "certificate/1a2b3c4d-5555-6666-7777-888899990000" }),
    autoScaling: true,
  },
};

/** The Airflow example the terraform tier turns on (`{ ...examples, airflow: airflowExample }`). */
export const airflowExample: AirflowConfig = { vpcCidr: "10.40.0.0/16" };
