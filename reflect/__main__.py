"""`python -m reflect` runs the same command line as the `reflect` script."""

from reflect.cli import main

if __name__ == "__main__":
    main()
