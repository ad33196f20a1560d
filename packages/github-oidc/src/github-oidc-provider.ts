import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Validator, isKnown } from "@platform/core";
import { Construct } from "constructs";

/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** Host part of the issuer: the prefix of the token's condition keys in IAM policies. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience `aws-actions/configure-aws-credentials` asks for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface GithubOidcProviderProps {
  /**
   * SHA-1 thumbprints (40 hex digits) of the issuer's certificate chain. AWS validates
   * GitHub's tokens against its own library of trusted root CAs and no longer uses these, and
   * since AWS provider 5.x the attribute is optional: left out, IAM computes one itself, so a
   * certificate rotation at GitHub never needs a change here. Set it only where a policy
   * (an SCP, a scanner) demands explicit thumbprints.
   * @default left out (IAM computes it)
   */
  readonly thumbprints?: readonly string[];
  /**
   * Audiences (client IDs) the provider accepts.
   * @default ["sts.amazonaws.com"], what aws-actions/configure-aws-credentials requests
   */
  readonly audiences?: readonly string[];
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions (one per account: a second one
 * for the same URL fails with EntityAlreadyExists, so an account that has one passes its ARN
 * to the roles instead of creating this).
 */
export class GithubOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;
  /** ARN of the provider, the `Federated` principal of every role's trust policy. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    const audiences = props.audiences ?? [STS_AUDIENCE];
    const v = new Validator(this.node.path);
    v.check(audiences.length >= 1 && audiences.length <= 100, "audiences", audiences, "must list 1 to 100 audiences (normally just \"sts.amazonaws.com\").");
    if (props.thumbprints !== undefined) {
      v.check(props.thumbprints.length >= 1 && props.thumbprints.length <= 5, "thumbprints", props.thumbprints, "must list 1 to 5 thumbprints, or be left out so IAM computes one.");
      props.thumbprints.forEach((t, i) =>
        v.check(!isKnown(t) || /^[0-9a-fA-F]{40}$/.test(t), `thumbprints[${i}]`, t, "must be a SHA-1 thumbprint: 40 hexadecimal digits."),
      );
    }
    v.throwIfAny();

    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: GITHUB_OIDC_URL,
      clientIdList: [...audiences],
      thumbprintList: props.thumbprints ? props.thumbprints.map((t) => t.toLowerCase()) : undefined,
      tags: { Name: "github-actions" },
    });
    this.arn = this.provider.arn;
  }
}
