enum PGatewayTLSTests {}
