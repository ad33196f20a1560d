import { EnvironmentStack, type Environment } from "@platform/core";
import { AirflowEnvironment } from "@platform/mwaa";
import { Network } from "@platform/network";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { AirflowConfig } from "./config";

/**
 * `<env>-airflow`: seed 001's optional MWAA environment in its own VPC, private (the web server
 * answers only inside the VPC). One NAT gateway gives the private subnets their way to SQS, logs,
 * S3 and PyPI; interface endpoints would cost more than the NAT for five services in two AZs.
 */
export class AirflowExampleStack extends EnvironmentStack {
  readonly network: Network;
  readonly airflow: AirflowEnvironment;

  constructor(scope: Construct, environment: Environment, config: AirflowConfig) {
    super(scope, { environment, layer: "airflow" });
    const namePrefix = `${environment.project}-airflow`;
    this.network = new Network(this, "network", {
      namePrefix,
      region: environment.region,
      availabilityZones: environment.availabilityZones(2),
      vpcCidr: config.vpcCidr,
      natMode: "single",
    });
    this.airflow = new AirflowEnvironment(this, "airflow", {
      namePrefix,
      accountId: environment.accountId,
      vpcId: this.network.ref.vpcId,
      privateSubnetIds: this.network.ref.privateSubnetIds,
      environmentClass: config.environmentClass,
    });
    new TerraformOutput(this, "dags_uri", { value: this.airflow.dagsUri, description: "aws s3 cp <dag>.py to this prefix" });
    new TerraformOutput(this, "webserver_url", { value: this.airflow.environment.webserverUrl, description: "Airflow UI (reachable from inside the VPC only)" });
  }
}
