from ketamine_tools.check import main

raise SystemExit(main())
