import SaproCLI

Sapro.main()
