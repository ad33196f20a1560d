import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { databaseUrl, parseMasterCredentials } from "../src/handlers/database-url";
import { type PublisherConfig, configFromEnvironment, publishDatabaseUrl } from "../src/handlers/database-url-publisher";
import { publisherDeployInvocation, publisherTrigger } from "../src/handlers/database-url-events";
import { EventShapeError } from "@platform/lambda/runtime";

const config: PublisherConfig = {
  secretArn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1234-AbCdEf",
  parameterName: "/acme/staging/DATABASE_URL",
  host: "acme-staging-db.abc123.ap-northeast-1.rds.amazonaws.com",
  port: 5432,
  databaseName: "appdb",
};
const PASSWORD = "p@ss:w/rd#?%&=+ 1";
const EXPECTED_URL =
  "postgresql://dbadmin:p%40ss%3Aw%2Frd%23%3F%25%26%3D%2B%201@acme-staging-db.abc123.ap-northeast-1.rds.amazonaws.com:5432/appdb?sslmode=require";

describe("databaseUrl", () => {
  it("percent-encodes user, password and database name and requires TLS", () => {
    expect(databaseUrl(config, { username: "dbadmin", password: PASSWORD })).toBe(EXPECTED_URL);
    const parsed = new URL(EXPECTED_URL);
    expect(decodeURIComponent(parsed.password)).toBe(PASSWORD);
    expect(parsed.searchParams.get("sslmode")).toBe("require");
  });

  it("rejects secrets without credentials, without echoing the secret", () => {
    expect(() => parseMasterCredentials(undefined)).toThrow(/no SecretString/);
    expect(() => parseMasterCredentials("not json hunter2")).toThrow(/^the secret's SecretString is not JSON$/);
    expect(() => parseMasterCredentials('{"username":"dbadmin"}')).toThrow(/lacks a username or password/);
  });
});

describe("configFromEnvironment", () => {
  it("reads every setting and fails on a missing one", () => {
    const env = {
      SECRET_ARN: config.secretArn,
      PARAMETER_NAME: config.parameterName,
      DB_HOST: config.host,
      DB_PORT: "5432",
      DB_NAME: "appdb",
    };
    expect(configFromEnvironment(env)).toEqual(config);
    expect(() => configFromEnvironment({ ...env, DB_HOST: undefined })).toThrow(/DB_HOST is not set/);
    expect(() => configFromEnvironment({ ...env, DB_PORT: "x" })).toThrow(/DB_PORT is not a port/);
  });
});

describe("publishDatabaseUrl", () => {
  const secrets = mockClient(SecretsManagerClient);
  const ssm = mockClient(SSMClient);
  const sleeps: number[] = [];
  const deps = {
    secrets: new SecretsManagerClient({ region: "ap-northeast-1" }),
    ssm: new SSMClient({ region: "ap-northeast-1" }),
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };

  beforeEach(() => {
    secrets.reset();
    ssm.reset();
    sleeps.length = 0;
    secrets.on(GetSecretValueCommand, { SecretId: config.secretArn }).resolves({
      SecretString: JSON.stringify({ username: "dbadmin", password: PASSWORD }),
    });
  });

  it("creates the SecureString when it does not exist, and returns no secret", async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: "not found", $metadata: {} }));
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const result = await publishDatabaseUrl(deps, config);
    expect(result).toEqual({ parameterName: config.parameterName, changed: true, version: 1 });
    expect(JSON.stringify(result)).not.toContain("p@ss");
    const put = ssm.commandCalls(PutParameterCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Name: config.parameterName, Value: EXPECTED_URL, Type: "SecureString", Overwrite: true });
    expect(put.KeyId).toBeUndefined();
    expect(put.Description).not.toContain("p@ss");
  });

  it("overwrites a stale URL after a rotation", async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Name: config.parameterName, Type: "SecureString", Value: EXPECTED_URL.replace("p%40ss", "old"), Version: 4 },
    });
    ssm.on(PutParameterCommand).resolves({ Version: 5 });
    expect(await publishDatabaseUrl(deps, config)).toEqual({ parameterName: config.parameterName, changed: true, version: 5 });
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: config.parameterName, WithDecryption: true });
  });

  it("leaves an up-to-date parameter alone (no version churn from the hourly check)", async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Name: config.parameterName, Type: "SecureString", Value: EXPECTED_URL, Version: 7 },
    });
    expect(await publishDatabaseUrl(deps, config)).toEqual({ parameterName: config.parameterName, changed: false, version: 7 });
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it("retries while IAM permissions propagate, then succeeds", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    secrets.on(GetSecretValueCommand).rejectsOnce(denied).rejectsOnce(denied).resolves({
      SecretString: JSON.stringify({ username: "dbadmin", password: PASSWORD }),
    });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: "not found", $metadata: {} }));
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await expect(publishDatabaseUrl(deps, config)).resolves.toMatchObject({ changed: true });
    expect(sleeps).toEqual([2000, 4000]);
  });

  describe("with the environment's customer managed key", () => {
    const KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withKey: PublisherConfig = { ...config, kmsKeyId: KEY };

    it("reads the key from PARAMETER_KMS_KEY_ID", () => {
      const env = { SECRET_ARN: config.secretArn, PARAMETER_NAME: config.parameterName, DB_HOST: config.host, DB_PORT: "5432", DB_NAME: "appdb" };
      expect(configFromEnvironment({ ...env, PARAMETER_KMS_KEY_ID: KEY }).kmsKeyId).toBe(KEY);
    });

    it("writes the SecureString under that key", async () => {
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: "not found", $metadata: {} }));
      ssm.on(PutParameterCommand).resolves({ Version: 1 });
      await publishDatabaseUrl(deps, withKey);
      expect(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input).toMatchObject({ Type: "SecureString", KeyId: KEY });
    });

    it("rewrites an up-to-date URL still under aws/ssm, so the old key stops protecting it", async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Name: config.parameterName, Type: "SecureString", Value: EXPECTED_URL, Version: 3 } });
      ssm.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: config.parameterName, KeyId: "alias/aws/ssm" }] });
      ssm.on(PutParameterCommand).resolves({ Version: 4 });
      expect(await publishDatabaseUrl(deps, withKey)).toMatchObject({ changed: true, version: 4 });
      expect(ssm.commandCalls(PutParameterCommand)[0]!.args[0].input.KeyId).toBe(KEY);
    });

    it("leaves a parameter alone when both URL and key are current", async () => {
      ssm.on(GetParameterCommand).resolves({ Parameter: { Name: config.parameterName, Type: "SecureString", Value: EXPECTED_URL, Version: 5 } });
      ssm.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: config.parameterName, KeyId: KEY }] });
      expect(await publishDatabaseUrl(deps, withKey)).toMatchObject({ changed: false, version: 5 });
      expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    });
  });

  it("fails (and so fails the apply) on other errors without retrying", async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("gone"), { name: "ResourceNotFoundException" }));
    await expect(publishDatabaseUrl(deps, config)).rejects.toThrow(/gone/);
    expect(sleeps).toEqual([]);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });
});

describe("publisher events", () => {
  const rotation = {
    source: "aws.secretsmanager",
    "detail-type": "AWS Service Event via CloudTrail",
    detail: { eventSource: "secretsmanager.amazonaws.com", eventName: "RotationSucceeded", additionalEventData: { SecretId: config.secretArn } },
  };
  const scheduled = { source: "aws.events", "detail-type": "Scheduled Event", resources: ["arn:aws:events:ap-northeast-1:123456789012:rule/r"], detail: {} };
  const deploy = {
    trigger: "terraform-apply",
    parameterName: config.parameterName,
    secretArn: config.secretArn,
    host: config.host,
    port: "5432",
    databaseName: config.databaseName,
  };

  it("tells the three triggers the construct configures apart", () => {
    expect(publisherTrigger(rotation)).toBe("rotation");
    expect(publisherTrigger(scheduled)).toBe("schedule");
    expect(publisherTrigger(deploy)).toBe("terraform-apply");
    expect(publisherDeployInvocation.parse(deploy)).toEqual(deploy);
  });

  it("rejects anything else, saying per accepted shape why the event is not it", () => {
    expect(() => publisherTrigger({ ...deploy, password: "hunter2" })).toThrow(EventShapeError);
    expect(() => publisherTrigger({ ...deploy, password: "hunter2" })).toThrow(/Unrecognized key\(s\) in object: 'password'/);
    expect(() => publisherTrigger({ ...deploy, password: "hunter2" })).not.toThrow(/hunter2/);
    expect(() => publisherTrigger({ ...deploy, port: 5432 })).toThrow(/not deploy invocation \(port: Expected string, received number\)/);
    expect(() => publisherTrigger({ ...rotation, detail: { ...rotation.detail, eventName: "RotationFailed" } })).toThrow(
      /not aws\.secretsmanager "AWS Service Event via CloudTrail" event \(detail\.eventName: Invalid literal value, expected "RotationSucceeded"\)/,
    );
  });
});
