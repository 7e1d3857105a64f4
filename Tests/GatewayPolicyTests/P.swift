enum PGatewayPolicyTests {}
